import type { Metadata } from "next";
import { Chart, DataTable } from "@/app/components/Chart";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { FilterForm } from "@/app/components/FilterForm";
import { NothingSetUp } from "@/app/components/NothingSetUp";
import { PageHeading } from "@/app/components/PageHeading";
import { figureInput, openDashboard, type SearchParams } from "@/app/lib/dashboard";
import { barChart, lineChart } from "@/reports/charts";

export const metadata: Metadata = { title: "Dissent" };

const DECISIONS: Record<string, string> = {
  cp_plan: "Child protection plan made",
  no_cp_plan: "No child protection plan",
  plan_category: "Category of plan",
  conference_not_convened: "Conference not convened",
};
const CONFERENCE_TYPES: Record<string, string> = { initial: "Initial", review: "Review", transfer_in: "Transfer in" };

export default async function DissentPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const dashboard = await openDashboard("/dissent", await searchParams);
  if (dashboard.partnerships.length === 0) return <NothingSetUp dashboard={dashboard} title="Conference dissent" />;
  const { caller, filters, label, agencyName, themeLabel } = dashboard;
  const quarters = await caller.metrics.dissent(figureInput(filters));
  const last = quarters.at(-1)!;
  const named = (map: Record<string, number>, name: (k: string) => string) =>
    Object.entries(map)
      .sort(([, a], [, b]) => b - a)
      .map(([k, v]) => ({ label: name(k), value: v }));
  const byDecision = named(last.byDecision, (k) => DECISIONS[k] ?? k);
  const byAgency = named(last.byAgency, (k) => `${agencyName(k)} (${k})`);
  const byType = named(last.byConferenceType, (k) => CONFERENCE_TYPES[k] ?? k);
  const byTheme = named(last.themes, themeLabel);
  const q = label(filters.quarter);

  return (
    <>
      <PageHeading dashboard={dashboard} title="Conference dissent" range />
      <ErrorSummary errors={dashboard.errors} />
      <FilterForm dashboard={dashboard} action="/dissent" fields={{ range: true, agency: true, theme: true }} />

      <Chart
        id="dissent-volume"
        title="Dissent, and dissent per 100 conferences"
        summary={`${last.count} professionals dissented from a conference decision in ${q}${
          last.ratePer100Conferences === null ? " (no rate: conference activity is missing for a month of the quarter, or there were no conferences)" : `: ${last.ratePer100Conferences} per 100 initial and review conferences`
        }.`}
        glossary="ratePer100Conferences"
        svg={lineChart({
          series: [
            { name: "Dissents", points: quarters.map((d) => ({ x: label(d.quarter), y: d.count })) },
            { name: "Per 100 conferences", points: quarters.map((d) => ({ x: label(d.quarter), y: d.ratePer100Conferences })) },
          ],
          yLabel: "Dissents / rate",
          description: "Line chart: dissents each quarter, and dissents per 100 conferences.",
        })}
        table={{
          caption: "Dissent by quarter",
          columns: ["Quarter", "Dissents", "Per 100 conferences", "Conferences (initial and review)", "Escalated"],
          rows: quarters.map((d) => [label(d.quarter), d.count, d.ratePer100Conferences, d.fractions.conferences, d.escalated]),
        }}
      />

      <Chart
        id="chair-follow-up"
        title="Chair's follow-up within the limit"
        summary={
          last.chairFollowUpWithinLimitPct === null
            ? `There was no dissent in ${q} to follow up.`
            : `The conference chair followed up ${last.fractions.chairFollowUpWithinLimit.numerator} of ${last.count} dissents in ${q} within the partnership's limit (${last.chairFollowUpWithinLimitPct}%).`
        }
        glossary="chairFollowUpWithinLimitPct"
        svg={lineChart({
          series: [{ name: "Within the limit", points: quarters.map((d) => ({ x: label(d.quarter), y: d.chairFollowUpWithinLimitPct })) }],
          yLabel: "% followed up within the limit",
          percent: true,
          description: "Line chart: percentage of dissents the chair followed up within the limit, by quarter.",
        })}
        table={{
          caption: "Chair's follow-up within the limit, by quarter",
          columns: ["Quarter", "Followed up within the limit", "Dissents", "Percentage"],
          rows: quarters.map((d) => [label(d.quarter), d.fractions.chairFollowUpWithinLimit.numerator, d.count, d.chairFollowUpWithinLimitPct]),
        }}
      />

      <Chart
        id="dissent-decision"
        title={`Dissent in ${q} by the decision disputed`}
        summary={byDecision.length ? `The decision most often disputed in ${q}: ${byDecision[0]!.label.toLowerCase()} (${byDecision[0]!.value}).` : `No dissent in ${q}.`}
        glossary="dissent"
        svg={barChart({ bars: byDecision, xLabel: "Dissents", description: `Bar chart: dissent in ${q} by decision.` })}
        table={{ caption: `Dissent in ${q} by decision`, columns: ["Decision", "Dissents"], rows: byDecision.map((r) => [r.label, r.value]) }}
      />

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <DataTable id="dissent-agency" caption={`Dissent in ${q} by dissenting agency`} columns={["Agency", "Dissents"]} rows={byAgency.map((r) => [r.label, r.value])} />
        </div>
        <div className="govuk-grid-column-one-half">
          <DataTable id="dissent-type" caption={`Dissent in ${q} by conference type`} columns={["Conference", "Dissents"]} rows={byType.map((r) => [r.label, r.value])} />
          <DataTable id="dissent-theme" caption={`Dissent in ${q} by theme`} columns={["Theme", "Dissents"]} rows={byTheme.map((r) => [r.label, r.value])} />
        </div>
      </div>

      <h2 className="govuk-heading-l" id="escalated">
        Dissent that became escalations
      </h2>
      <p className="govuk-body">
        <span className="app-figure__value govuk-!-display-inline" data-figure="dissent-escalated">
          {last.escalated}
        </span>{" "}
        of the {last.count} dissents in {q} have the status &ldquo;escalated&rdquo;: taken on under the escalation procedure.{" "}
        <a className="govuk-link" href="/glossary#escalated">
          How this is counted
        </a>
      </p>
    </>
  );
}
