import type { Metadata } from "next";
import { DataTable } from "@/app/components/Chart";
import { Downloads } from "@/app/components/Downloads";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { FilterForm } from "@/app/components/FilterForm";
import { NothingSetUp } from "@/app/components/NothingSetUp";
import { PageHeading } from "@/app/components/PageHeading";
import { openDashboard, type SearchParams } from "@/app/lib/dashboard";
import { addCalendarMonths, formatUkDate } from "@/server/calendar/dates";
import { quarterPeriod } from "@/server/calendar/quarters";

export const metadata: Metadata = { title: "Data quality" };

const MONTH = new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });

export default async function DataQualityPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const dashboard = await openDashboard("/data-quality", await searchParams, { trendQuarters: 4 });
  if (dashboard.partnerships.length === 0) return <NothingSetUp dashboard={dashboard} title="Data quality" />;
  const { caller, filters, label, agencyName } = dashboard;
  const quality = await caller.metrics.dataQuality({ partnerships: filters.partnerships, from: filters.from, to: filters.quarter });
  const months: string[] = [];
  for (let m = quarterPeriod(filters.from).start; m <= quarterPeriod(filters.quarter).end; m = addCalendarMonths(m, 1)) months.push(m.slice(0, 7));
  const missing = new Set(quality.rows.flatMap((r) => r.monthsWithNoUpload.map((m) => `${r.agency} ${m}`)));
  const reasons = [...new Set(quality.rows.flatMap((r) => Object.keys(r.rejectsByReason)))].sort();
  const byAgency = quality.agencies.map((a) => {
    const rows = quality.rows.filter((r) => r.agency === a.agency);
    return {
      ...a,
      uploaded: rows.reduce((n, r) => n + r.rowsUploaded, 0),
      rejected: rows.reduce((n, r) => n + r.rowsRejected, 0),
      skipped: rows.reduce((n, r) => n + r.skippedStageRows, 0),
      reasons: Object.fromEntries(reasons.map((reason) => [reason, rows.reduce((n, r) => n + (r.rejectsByReason[reason] ?? 0), 0)])),
    };
  });
  const silent = byAgency.filter((a) => months.every((m) => missing.has(`${a.agency} ${m}`)));

  return (
    <>
      <PageHeading dashboard={dashboard} title="Data quality" range />
      <ErrorSummary errors={dashboard.errors} />
      <FilterForm dashboard={dashboard} action="/data-quality" fields={{ range: true }} />
      <p className="govuk-body">
        Figures are only as complete as the agencies&apos; uploads. {silent.length} of {byAgency.length} agencies uploaded nothing from {label(filters.from)} to{" "}
        {label(filters.quarter)}. Counted over uploads still in force (an undone upload no longer counts).
      </p>

      <div className="app-table-scroll">
        <table className="govuk-table" id="upload-coverage">
          <caption className="govuk-table__caption govuk-table__caption--m">Months in which each agency uploaded</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Agency
              </th>
              {months.map((m) => (
                <th scope="col" className="govuk-table__header" key={m}>
                  {MONTH.format(new Date(`${m}-01T00:00:00Z`))}
                </th>
              ))}
              <th scope="col" className="govuk-table__header">
                Last upload
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {byAgency.map((a) => (
              <tr className="govuk-table__row" key={a.agency}>
                <th scope="row" className="govuk-table__header">
                  {agencyName(a.agency)} <span className="govuk-hint govuk-!-display-inline">({a.agency})</span>
                </th>
                {months.map((m) =>
                  missing.has(`${a.agency} ${m}`) ? (
                    <td className="govuk-table__cell" key={m}>
                      <strong className="govuk-tag govuk-tag--red">None</strong>
                    </td>
                  ) : (
                    <td className="govuk-table__cell" key={m}>
                      <strong className="govuk-tag govuk-tag--green">Yes</strong>
                    </td>
                  ),
                )}
                <td className="govuk-table__cell">{a.lastUploadOn ? formatUkDate(a.lastUploadOn) : "never"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <DataTable
        id="rejects"
        caption={`Rows uploaded and rejected, and why, ${label(filters.from)} to ${label(filters.quarter)}`}
        columns={["Agency", "Rows uploaded", "Rows rejected", ...reasons.map((r) => `Fault: ${r.replaceAll("_", " ")}`), "Escalations with a skipped stage"]}
        rows={byAgency.map((a) => [`${agencyName(a.agency)} (${a.agency})`, a.uploaded, a.rejected, ...reasons.map((r) => a.reasons[r] ?? 0), a.skipped])}
      />
      <Downloads dataset="data-quality" title="Data quality by agency and quarter" filters={filters} />
      <p className="govuk-body">
        A rejected row with two faults counts under each. A skipped stage is a stage left empty below a later dated one: the procedure allows it, but
        often it means a date was not recorded. <a className="govuk-link" href="/uploads">Uploads and their rejected rows</a>
      </p>
    </>
  );
}
