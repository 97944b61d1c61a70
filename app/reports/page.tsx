import type { Metadata } from "next";
import { PartnershipChoices, QuarterSelect } from "@/app/components/Choices";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { NothingSetUp } from "@/app/components/NothingSetUp";
import { openDashboard, quarterChoices, type SearchParams } from "@/app/lib/dashboard";
import { formatUkDate } from "@/server/calendar/dates";
import type { DisclosureCheck } from "@/reports/disclosure";

export const metadata: Metadata = { title: "Board reports" };

/** Choosing a quarterly board report to download (the document itself comes from /api/reports/board). */
export default async function ReportsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const dashboard = await openDashboard("/reports", await searchParams);
  if (dashboard.partnerships.length === 0) return <NothingSetUp dashboard={dashboard} title="Board reports" />;
  const { filters, partnerships, label, caller, capabilities } = dashboard;
  const issued = await caller.reports.issued();
  const mayIssue = await capabilities.mayIssueReports(filters.partnerships);
  const disclosure = mayIssue ? await disclosureBeforeIssue(caller, filters) : null;
  return (
    <>
      <h1 className="govuk-heading-xl">Board reports</h1>
      <p className="govuk-body-l">The quarterly report for the partnership board: a summary written from the figures, every measure with its charts and tables, caveats about the data, and the glossary.</p>
      <ErrorSummary errors={dashboard.errors} />
      <form method="get" action="/api/reports/board" className="app-filters" aria-label="Board report" autoComplete="off">
        <div className="app-filters__row">
          <PartnershipChoices partnerships={partnerships} chosen={filters.partnerships} legend="Partnerships (several are reported together)" idPrefix="report" />
          <div>
            <QuarterSelect id="report-quarter" name="quarter" text="Quarter" quarters={quarterChoices(filters.asOf)} chosen={filters.quarter} label={label} />
            <div className="govuk-form-group">
              <fieldset className="govuk-fieldset">
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Format</legend>
                <div className="govuk-radios govuk-radios--small">
                  {[
                    ["pdf", "PDF (A4, to file or print)"],
                    ["docx", "Word document (to add to the board papers)"],
                    ["html", "Web page (print from the browser)"],
                  ].map(([value, text], i) => (
                    <div className="govuk-radios__item" key={value}>
                      <input className="govuk-radios__input" id={`report-format-${value}`} name="format" type="radio" value={value} defaultChecked={i === 0} />
                      <label className="govuk-label govuk-radios__label" htmlFor={`report-format-${value}`}>
                        {text}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
            <div className="govuk-form-group">
              <div className="govuk-checkboxes govuk-checkboxes--small">
                <div className="govuk-checkboxes__item">
                  <input className="govuk-checkboxes__input" id="report-exact" name="exact" type="checkbox" value="1" />
                  <label className="govuk-label govuk-checkboxes__label" htmlFor="report-exact">
                    Exact figures, not for publication (every page says so)
                  </label>
                </div>
              </div>
            </div>
            <button type="submit" className="govuk-button">
              Download the report
            </button>
          </div>
        </div>
      </form>
      <p className="govuk-body">
        Published reports hide small numbers as the partnership&apos;s disclosure rules require. Every download is recorded in the audit log.
      </p>

      {mayIssue ? (
        <form method="post" action="/api/reports/issue" className="app-filters" aria-label="Issue a board report" autoComplete="off">
          <h2 className="govuk-heading-m">Issue this quarter&apos;s report</h2>
          <p className="govuk-body">
            Issuing keeps the report and its PDF and Word files exactly as they are now, for the board&apos;s record. If records are corrected later,
            the issued report says &ldquo;revised since issue&rdquo; and lists what changed.
          </p>
          <DisclosureCheckSummary check={disclosure} />
          {filters.partnerships.map((p) => (
            <input type="hidden" name="partnership" value={p} key={p} />
          ))}
          <input type="hidden" name="quarter" value={filters.quarter} />
          <button type="submit" className="govuk-button govuk-button--secondary">
            Issue the {label(filters.quarter)} report for {filters.partnerships.map((c) => partnerships.find((p) => p.code === c)?.name ?? c).join(", ")}
          </button>
        </form>
      ) : null}

      <h2 className="govuk-heading-l">Issued reports</h2>
      {issued.length === 0 ? (
        <p className="govuk-body">No board report has been issued yet.</p>
      ) : (
        <table className="govuk-table" id="issued-reports">
          <caption className="govuk-table__caption govuk-table__caption--s">Reports as issued to boards, newest first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Report</th>
              <th scope="col" className="govuk-table__header">Partnerships</th>
              <th scope="col" className="govuk-table__header">Issued</th>
              <th scope="col" className="govuk-table__header">Figures</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {issued.map((r) => (
              <tr className="govuk-table__row" key={r.id}>
                <th scope="row" className="govuk-table__header">
                  <a className="govuk-link" href={`/reports/issued/${r.id}`}>
                    {label(r.quarter)} (number {r.id})
                  </a>
                </th>
                <td className="govuk-table__cell">{r.partnerships.join(", ")}</td>
                <td className="govuk-table__cell">
                  {formatUkDate(r.issuedAt.toISOString().slice(0, 10))} by {r.issuedBy}
                </td>
                <td className="govuk-table__cell">{r.published ? "published" : "exact, not for publication"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

type DashboardCaller = Awaited<ReturnType<typeof openDashboard>>["caller"];

/** Before issuing: the published document suppressed as one output and checked by the attacker, as issuing will. */
async function disclosureBeforeIssue(caller: DashboardCaller, filters: { partnerships: string[]; quarter: string }): Promise<DisclosureCheck | null> {
  try {
    const report = await caller.reports.board({ partnerships: filters.partnerships, quarter: filters.quarter, published: true, documentCheck: true });
    return "documentCheck" in report ? (report.documentCheck ?? null) : null;
  } catch {
    // The download form above says what is wrong with the choice; the check is simply not shown.
    return null;
  }
}

/** How many cells the published report hides, and whether it passed the disclosure test. */
function DisclosureCheckSummary({ check }: { check: DisclosureCheck | null }) {
  if (!check) return null;
  const hidden = check.primary + check.secondary;
  return (
    <div className="govuk-inset-text" id="disclosure-check">
      <p className="govuk-body">
        Published figures: {hidden} of the report&apos;s {check.cells} counts are hidden ({check.primary} from 1 to {check.profile === "dfe" ? 5 : 7}, and {check.secondary} more so
        that none can be worked out from the totals), and {check.withheld} {check.withheld === 1 ? "percentage or median is" : "percentages or medians are"} withheld.
      </p>
      <p className="govuk-body">
        {check.passed ? (
          <>
            <strong className="govuk-tag govuk-tag--green">Passed</strong> No hidden figure can be worked out from what the report shows.
          </>
        ) : (
          <>
            <strong className="govuk-tag govuk-tag--red">Failed</strong> A reader could work out {check.pinned.length} hidden figures: the published report cannot be issued (issue it
            with exact figures, not for publication, instead).
          </>
        )}
      </p>
    </div>
  );
}
