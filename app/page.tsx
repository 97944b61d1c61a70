import type { Metadata } from "next";
import { DataTable } from "@/app/components/Chart";
import { Downloads } from "@/app/components/Downloads";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { FigureCards, formatFigure, type HeadlineFigure } from "@/app/components/Figures";
import { FilterForm } from "@/app/components/FilterForm";
import { NothingSetUp } from "@/app/components/NothingSetUp";
import { PageHeading } from "@/app/components/PageHeading";
import { SetupNotice } from "@/app/setup/SetupProgress";
import { hrefWith, openDashboard, type SearchParams } from "@/app/lib/dashboard";
import { formatUkDate } from "@/server/calendar/dates";
import { addQuarters } from "@/server/calendar/quarters";
import type { TrendPoint } from "@/server/metrics/operational";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const dashboard = await openDashboard("/", await searchParams);
  const { caller, filters, label, agencyName, themeLabel } = dashboard;
  if (dashboard.partnerships.length === 0) return <NothingSetUp dashboard={dashboard} title="Overview" />;
  const overview = await caller.metrics.overview({ partnerships: filters.partnerships, quarter: filters.quarter, asOf: filters.asOf, agency: filters.agency, theme: filters.theme });
  const { trends } = overview;
  // A business manager sees where set-up stands until it is done.
  const setup = dashboard.capabilities.maySetUpPartnerships ? await caller.reference.setup() : null;
  const previousLabel = label(addQuarters(filters.quarter, -1));
  const lastYearLabel = label(addQuarters(filters.quarter, -4));
  const figure = (id: keyof TrendPoint, text: string, glossary: string, unit?: HeadlineFigure["unit"]): HeadlineFigure => ({
    id,
    label: text,
    glossary,
    unit,
    series: trends.map((t) => t[id] as number | null),
    previousLabel,
    lastYearLabel,
  });
  const figures: HeadlineFigure[] = [
    figure("raised", "Escalations raised", "raised"),
    figure("closed", "Escalations closed", "closed"),
    figure("openAtPeriodEnd", "Open at the end of the quarter", "openAtPeriodEnd"),
    figure("overdueAtQuarterEnd", "Overdue at the end of the quarter", "overdueAtAsOf"),
    figure("resolvedAtLowestLevelPct", "Resolved at the lowest level", "resolvedAtLowestLevelPct", "percent"),
    figure("medianWorkingDaysToClose", "Median time to close", "medianWorkingDaysToClose", "days"),
    figure("learningWithinOneMonthPct", "Learning shared within a month", "learningWithinOneMonthPct", "percent"),
    figure("dissent", "Conference dissent", "dissent"),
    figure("dissentRatePer100Conferences", "Dissent per 100 conferences", "ratePer100Conferences"),
    figure("chairFollowUpWithinLimitPct", "Chair's follow-up within the limit", "chairFollowUpWithinLimitPct", "percent"),
  ];
  const shownLate = overview.lateAgencies.slice(0, 10);

  return (
    <>
      {setup ? <SetupNotice setup={setup} /> : null}
      <PageHeading dashboard={dashboard} title="Overview" />
      <ErrorSummary errors={dashboard.errors} />
      <FilterForm dashboard={dashboard} action="/" fields={{ agency: true, theme: true }} />

      <h2 className="govuk-heading-l">{label(filters.quarter)} at a glance</h2>
      <FigureCards figures={figures} />

      <h2 className="govuk-heading-l">Needs attention</h2>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <div className="govuk-inset-text">
            <span className="app-figure__value" data-figure="overdue-at-as-of">
              {formatFigure(overview.atAsOf.overdue)}
            </span>{" "}
            escalations overdue on {formatUkDate(overview.asOf)}, and{" "}
            <span data-figure="unresolved-at-as-of">{formatFigure(overview.atAsOf.unresolvedAfterFinalStage)}</span> still open after the final stage.{" "}
            <a className="govuk-link" href={hrefWith("/escalations", filters)}>
              See escalations
            </a>
          </div>
          <h3 className="govuk-heading-m">Recurring themes</h3>
          {overview.recurringThemes.length === 0 ? (
            <p className="govuk-body">No agency received 3 or more escalations on one theme in the year to {label(filters.quarter)}.</p>
          ) : (
            <DataTable
              id="recurring-themes"
              caption={`Agencies receiving 3 or more escalations on one theme in the year ending ${label(filters.quarter)}`}
              columns={["Receiving agency", "Theme", "Escalations"]}
              numeric={[false, false, true]}
              rows={overview.recurringThemes.slice(0, 10).map((r) => [agencyName(r.receivingAgency), themeLabel(r.theme), r.count])}
            />
          )}
          {overview.recurringThemes.length > 10 ? (
            <p className="govuk-body">
              <a className="govuk-link" href={hrefWith("/themes", filters)}>
                All {overview.recurringThemes.length} recurring themes
              </a>
            </p>
          ) : null}
        </div>
        <div className="govuk-grid-column-one-half">
          <h3 className="govuk-heading-m">Agencies late to upload</h3>
          {shownLate.length === 0 ? (
            <p className="govuk-body">Every agency has uploaded within the month before {formatUkDate(overview.asOf)}.</p>
          ) : (
            <DataTable
              id="late-agencies"
              caption={`${overview.lateAgencies.length} agencies with no upload in the month before ${formatUkDate(overview.asOf)}`}
              columns={["Agency", "Last upload"]}
              numeric={[false, false]}
              rows={shownLate.map((a) => [agencyName(a.agency), a.lastUploadOn ? formatUkDate(a.lastUploadOn) : "never"])}
            />
          )}
          <p className="govuk-body">
            <a className="govuk-link" href={hrefWith("/data-quality", filters)}>
              Data quality by agency and month
            </a>
          </p>
        </div>
      </div>

      <Downloads dataset="trends" title="Headline figures by quarter" filters={{ ...filters, from: trends[0]?.quarter ?? filters.from }} />
      <DataTable
        id="headline-trends"
        caption="Headline figures by quarter"
        columns={["Quarter", ...figures.map((f) => f.label)]}
        rows={trends.map((t, i) => [label(t.quarter), ...figures.map((f) => (f.series[i] === null ? null : formatFigure(f.series[i]!, f.unit)))])}
      />
    </>
  );
}
