import type { Metadata } from "next";
import { Chart, DataTable } from "@/app/components/Chart";
import { Downloads } from "@/app/components/Downloads";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { FilterForm } from "@/app/components/FilterForm";
import { NothingSetUp } from "@/app/components/NothingSetUp";
import { PageHeading } from "@/app/components/PageHeading";
import { openDashboard, versionRows, type SearchParams } from "@/app/lib/dashboard";
import { barChart, heatmap, lineChart } from "@/reports/charts";
import { limitVaries, stageLimitText, VARIES_NOTE } from "@/reports/procedureText";
import { formatUkDate, todayInLondon } from "@/server/calendar/dates";
import { quarterRange } from "@/server/calendar/quarters";
import { percent } from "@/server/metrics/percent";
import { describeLimit } from "@/server/reference/procedureVersions";

export const metadata: Metadata = { title: "Escalations" };

export default async function EscalationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const dashboard = await openDashboard("/escalations", await searchParams);
  if (dashboard.partnerships.length === 0) return <NothingSetUp dashboard={dashboard} title="Escalations" />;
  const { caller, filters, label, agencyName, capabilities } = dashboard;
  const input = { partnerships: filters.partnerships, from: filters.from, to: filters.quarter, asOf: filters.asOf, agency: filters.agency, theme: filters.theme };
  const mayReadRecords = await capabilities.mayReadRecords({ partnerships: filters.partnerships });
  const [breakdowns, trends, matrix, overdue, versions] = await Promise.all([
    caller.metrics.breakdowns(input),
    caller.metrics.trends({ partnerships: filters.partnerships, quarters: quarterRange(filters.from, filters.quarter).length, to: filters.quarter, asOf: filters.asOf, agency: filters.agency, theme: filters.theme }),
    caller.metrics.agencyMatrix({ partnerships: filters.partnerships, quarter: filters.quarter, asOf: filters.asOf }),
    mayReadRecords ? caller.metrics.overdue({ partnerships: filters.partnerships, asOf: filters.asOf, agency: filters.agency, theme: filters.theme }) : Promise.resolve(null),
    caller.partnerships.procedureVersions({ partnerships: filters.partnerships }),
  ]);
  const last = breakdowns.quarters.at(-1)!;
  // Quarters may count different numbers of stages (a procedure version added or removed some): every stage of any.
  const stages = [...new Set(breakdowns.quarters.flatMap((q) => q.timescale.map((t) => t.stage)))].sort((a, b) => a - b);
  const inForce = versionRows(versions, filters);
  const several = filters.partnerships.length > 1;
  // A stage whose limit varies in some quarter shown (completions judged against different versions' limits), or has no single limit.
  const varies = breakdowns.quarters.some((q) => q.timescale.some((t) => limitVaries(t)));
  const stageHeader = (k: number) => {
    const t = last.timescale.find((s) => s.stage === k);
    return `Stage ${k} (${t ? (limitVaries(t) ? "limits vary" : `limit ${stageLimitText(t)}`) : "not in the last quarter's procedure"})`;
  };
  const stageRows = Object.entries(last.stageReached).map(([stage, count]) => ({ label: `Stage ${stage}`, value: count }));
  const raisedInQuarter = stageRows.reduce((n, r) => n + r.value, 0);
  const adherence = stages.map((k) => ({
    name: `Stage ${k}`,
    points: breakdowns.quarters.map((q) => {
      const t = q.timescale.find((s) => s.stage === k);
      return { x: label(q.quarter), y: t ? percent(t.withinLimit, t.completed) : null };
    }),
  }));
  const rowsAgencies = [...new Set(matrix.map((c) => c.raisingAgency))].sort();
  const columnAgencies = [...new Set(matrix.map((c) => c.receivingAgency))].sort();
  const lastMedian = trends.at(-1)?.medianWorkingDaysToClose ?? null;
  const busiest = [...matrix].sort((a, b) => b.count - a.count || a.raisingAgency.localeCompare(b.raisingAgency))[0];

  return (
    <>
      <PageHeading dashboard={dashboard} title="Escalations" range />
      <ErrorSummary errors={dashboard.errors} />
      <FilterForm dashboard={dashboard} action="/escalations" fields={{ range: true, agency: true, theme: true }} />

      <DataTable
        id="procedure-versions"
        caption={`Procedure versions in force, ${label(filters.from)} to ${label(filters.quarter)}`}
        columns={["Version", "In force", "Stages and their limits", "Total limit"]}
        numeric={[false, false, false, false]}
        rows={inForce.map((v) => [several ? `${v.name} (${v.partnership})` : v.name, v.inForce, v.stages, v.totalLimit])}
      />
      <p className="govuk-body">
        {inForce.length > 1
          ? "Each escalation is judged by the procedure version in force on the day its concern arose: its stages, each stage's limit and unit, and any total limit."
          : "Every escalation counted here is judged by this procedure version."}{" "}
        <a className="govuk-link" href="/glossary#timescale">
          How this is counted
        </a>
      </p>

      <Chart
        id="stage-reached"
        title={`Stage reached by escalations raised in ${label(filters.quarter)}`}
        summary={
          raisedInQuarter === 0
            ? `No escalations were raised in ${label(filters.quarter)}.`
            : `Of ${raisedInQuarter} escalations raised in ${label(filters.quarter)}, ${last.stageReached["1"] ?? 0} stayed at stage 1 and ${
                (last.stageReached["1"] ?? 0) + (last.stageReached["2"] ?? 0)
              } went no further than stage 2.`
        }
        glossary="stageReached"
        svg={barChart({ bars: stageRows, xLabel: "Escalations", description: `Bar chart: escalations raised in ${label(filters.quarter)} by stage reached.` })}
        table={{ caption: `Escalations raised in ${label(filters.quarter)} by stage reached`, columns: ["Stage reached", "Escalations"], rows: stageRows.map((r) => [r.label, r.value]) }}
      />

      <Chart
        id="timescale"
        title="Stages completed within their limit"
        summary={`The percentage of each stage's completions in the quarter that came within the stage's limit, in the limit's own unit (working or calendar days), each judged by the procedure version in force on its escalation's concern date, ${label(filters.from)} to ${label(filters.quarter)}.${varies ? " Where a stage's limits vary, the table says so." : ""}`}
        glossary="timescale"
        svg={lineChart({ series: adherence, yLabel: "% within limit", percent: true, description: "Line chart: percentage of stage completions within the limit, by stage and quarter." })}
        table={{
          caption: "Stage completions within the limit, by quarter (within / completed)",
          columns: ["Quarter", ...stages.map(stageHeader)],
          rows: breakdowns.quarters.map((q) => [
            label(q.quarter),
            ...stages.map((k) => {
              const t = q.timescale.find((s) => s.stage === k);
              if (!t) return "no such stage";
              const counted = t.completed === 0 ? "none completed" : `${t.withinLimit} of ${t.completed} (${percent(t.withinLimit, t.completed)}%)`;
              return t.limitsVary ? `${counted}; limits vary` : counted;
            }),
          ]),
        }}
      />
      {varies ? (
        <p className="govuk-body-s" id="timescale-varies">
          {VARIES_NOTE}
        </p>
      ) : null}

      <Chart
        id="median-to-close"
        title="Median working days to close"
        summary={
          lastMedian === null
            ? `No escalations were resolved in ${label(filters.quarter)}.`
            : `Escalations resolved in ${label(filters.quarter)} took a median of ${lastMedian} working days from the concern arising to resolution.`
        }
        glossary="medianWorkingDaysToClose"
        svg={lineChart({
          series: [{ name: "Median working days", points: trends.map((t) => ({ x: label(t.quarter), y: t.medianWorkingDaysToClose })) }],
          yLabel: "Working days",
          description: "Line chart: median working days to close escalations resolved in each quarter.",
        })}
        table={{
          caption: "Median working days to close, and escalations resolved, by quarter",
          columns: ["Quarter", "Median working days", "Closed"],
          rows: trends.map((t) => [label(t.quarter), t.medianWorkingDaysToClose, t.closed]),
        }}
      />

      <Chart
        id="agency-matrix"
        title={`Who escalated to whom in ${label(filters.quarter)}`}
        summary={
          !busiest
            ? `No escalations were raised in ${label(filters.quarter)}.`
            : `Escalations raised in ${label(filters.quarter)}, by the agency raising them (rows) and the agency receiving them (columns). The busiest pair: ${agencyName(
                busiest.raisingAgency,
              )} to ${agencyName(busiest.receivingAgency)} (${busiest.count}).`
        }
        glossary="byAgency"
        svg={heatmap({
          rows: rowsAgencies,
          columns: columnAgencies,
          cells: matrix.map((c) => ({ row: c.raisingAgency, column: c.receivingAgency, value: c.count })),
          rowLabel: "Raising agency",
          columnLabel: "Receiving agency",
          description: "Heat map: escalations by raising agency and receiving agency, darker for more.",
        })}
        table={{
          caption: `Escalations raised in ${label(filters.quarter)} by raising and receiving agency`,
          columns: ["Raising agency", "Receiving agency", "Escalations"],
          numeric: [false, false, true],
          rows: matrix.map((c) => [`${agencyName(c.raisingAgency)} (${c.raisingAgency})`, `${agencyName(c.receivingAgency)} (${c.receivingAgency})`, c.count]),
        }}
      />

      <Downloads dataset="agency-matrix" title="Escalations by raising and receiving agency" filters={filters} />
      <h2 className="govuk-heading-l" id="overdue">
        Overdue now
      </h2>
      {overdue === null ? (
        <p className="govuk-body">
          The list of overdue escalations is record-level: scrutineers and business managers can see it. Your figures show how many: see the{" "}
          <a className="govuk-link" href="/">
            overview
          </a>
          .
        </p>
      ) : overdue.length === 0 ? (
        <p className="govuk-body">No escalation is overdue.</p>
      ) : (
        <div className="app-table-scroll">
          <table className="govuk-table" id="overdue-list">
            <caption className="govuk-table__caption govuk-table__caption--m">
              {overdue.length} escalations overdue on {formatUkDate(filters.asOf ?? todayInLondon())}, most overdue first
            </caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Escalation</th>
                <th scope="col" className="govuk-table__header">Raised by → with</th>
                <th scope="col" className="govuk-table__header">Current stage</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Days over the limit</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {overdue.slice(0, 200).map((o) => (
                <tr className="govuk-table__row" key={`${o.partnership}-${o.id}`}>
                  <th scope="row" className="govuk-table__header">
                    <a className="govuk-link" href={`/records/${o.partnership}/${o.id}`}>
                      {o.recordRef}
                    </a>{" "}
                    <span className="govuk-hint govuk-!-display-inline">({o.uploadedBy})</span>
                  </th>
                  <td className="govuk-table__cell">
                    {o.raisingAgency} → {o.receivingAgency}
                  </td>
                  <td className="govuk-table__cell">
                    {o.currentStage}: {o.stageName} (limit {describeLimit(o.limitWorkingDays, o.limitUnit)})
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">
                    {describeLimit(o.workingDaysOver, o.limitUnit)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {overdue.length > 200 ? (
            <p className="govuk-body">
              The 200 most overdue are shown; <a className="govuk-link" href="/records">the records page</a> has them all.
            </p>
          ) : null}
        </div>
      )}
      {overdue === null ? null : <Downloads dataset="overdue" title="The overdue list" filters={filters} />}
      <DataTable
        id="raised-by-agency"
        caption={`Escalations raised in ${label(filters.quarter)} by raising agency`}
        columns={["Agency", "Raised", "Received"]}
        rows={[...new Set([...Object.keys(last.byRaisingAgency), ...Object.keys(last.byReceivingAgency)])]
          .sort()
          .map((code) => [`${agencyName(code)} (${code})`, last.byRaisingAgency[code] ?? 0, last.byReceivingAgency[code] ?? 0])}
      />
    </>
  );
}
