import type { Metadata } from "next";
import { Chart, DataTable } from "@/app/components/Chart";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { FilterForm } from "@/app/components/FilterForm";
import { NothingSetUp } from "@/app/components/NothingSetUp";
import { PageHeading } from "@/app/components/PageHeading";
import { figureInput, openDashboard, type SearchParams } from "@/app/lib/dashboard";
import { heatmap, lineChart } from "@/reports/charts";

export const metadata: Metadata = { title: "Themes" };

export default async function ThemesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const dashboard = await openDashboard("/themes", await searchParams);
  if (dashboard.partnerships.length === 0) return <NothingSetUp dashboard={dashboard} title="Themes" />;
  const { caller, filters, label, agencyName, themeLabel } = dashboard;
  const breakdowns = await caller.metrics.breakdowns(figureInput(filters));
  const { quarters } = breakdowns;
  const themeCodes = [...new Set(quarters.flatMap((q) => Object.keys(q.themes)))].sort();
  const totals = themeCodes.map((code) => ({ code, total: quarters.reduce((n, q) => n + (q.themes[code] ?? 0), 0) })).sort((a, b) => b.total - a.total);
  const top = totals[0];
  // Escalations over the whole run by receiving agency and theme (the sum of the quarters' exact counts).
  const pairs = new Map<string, { agency: string; theme: string; count: number }>();
  for (const q of quarters) {
    for (const c of q.themesByReceivingAgency) {
      const key = `${c.receivingAgency} ${c.theme}`;
      const held = pairs.get(key) ?? { agency: c.receivingAgency, theme: c.theme, count: 0 };
      held.count += c.count;
      pairs.set(key, held);
    }
  }
  const cells = [...pairs.values()];
  const agencies = [...new Set(cells.map((c) => c.agency))].sort();
  const period = `${label(filters.from)} to ${label(filters.quarter)}`;

  return (
    <>
      <PageHeading dashboard={dashboard} title="Themes" range />
      <ErrorSummary errors={dashboard.errors} />
      <FilterForm dashboard={dashboard} action="/themes" fields={{ range: true, agency: true, theme: true }} />

      <Chart
        id="theme-trends"
        title="Themes of escalations raised, by quarter"
        summary={
          top && top.total > 0
            ? `From ${period}, the most frequent theme was "${themeLabel(top.code)}" (${top.total} escalations). An escalation with two themes counts under each.`
            : `No escalations were raised from ${period}.`
        }
        glossary="themes"
        svg={lineChart({
          series: totals.slice(0, 8).map((t) => ({ name: themeLabel(t.code).split(" ")[0]!, points: quarters.map((q) => ({ x: label(q.quarter), y: q.themes[t.code] ?? 0 })) })),
          yLabel: "Escalations",
          description: "Line chart: escalations raised each quarter by theme (the eight most frequent).",
        })}
        table={{
          caption: "Escalations raised by theme and quarter",
          columns: ["Quarter", ...totals.map((t) => themeLabel(t.code))],
          rows: quarters.map((q) => [label(q.quarter), ...totals.map((t) => q.themes[t.code] ?? 0)]),
        }}
      />

      <h2 className="govuk-heading-l" id="recurring">
        Recurring themes
      </h2>
      <p className="govuk-body">
        An agency receiving 3 or more escalations on one theme in the 365 days ending {label(filters.quarter)}: a sign of a pattern to raise with
        that agency. <a className="govuk-link" href="/glossary#recurringThemes">How this is counted</a>
      </p>
      {breakdowns.recurringThemes.length === 0 ? (
        <p className="govuk-body">None in the year to {label(filters.quarter)}.</p>
      ) : (
        <DataTable
          id="recurring-themes"
          caption={`Recurring (receiving agency, theme) pairs in the year ending ${label(filters.quarter)}`}
          columns={["Receiving agency", "Theme", "Escalations"]}
          numeric={[false, false, true]}
          rows={breakdowns.recurringThemes.map((r) => [`${agencyName(r.receivingAgency)} (${r.receivingAgency})`, themeLabel(r.theme), r.count])}
        />
      )}

      <Chart
        id="theme-by-agency"
        title="Themes by receiving agency"
        summary={
          cells.length === 0
            ? `No escalations were raised from ${period}.`
            : `Escalations raised from ${period}, by the agency receiving them (rows) and theme (columns).`
        }
        glossary="themes"
        svg={heatmap({
          rows: agencies,
          columns: totals.map((t) => t.code),
          cells: cells.map((c) => ({ row: c.agency, column: c.theme, value: c.count })),
          rowLabel: "Receiving agency",
          columnLabel: "Theme",
          description: "Heat map: escalations by receiving agency and theme, darker for more.",
        })}
        table={{
          caption: `Escalations raised from ${period} by receiving agency and theme`,
          columns: ["Receiving agency", ...totals.map((t) => themeLabel(t.code))],
          rows: agencies.map((a) => [`${agencyName(a)} (${a})`, ...totals.map((t) => pairs.get(`${a} ${t.code}`)?.count ?? 0)]),
        }}
      />
    </>
  );
}
