import type { Metadata } from "next";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { openDashboard, quarterChoices, type SearchParams } from "@/app/lib/dashboard";

export const metadata: Metadata = { title: "Board reports" };

/** Choosing a quarterly board report to download (the document itself comes from /api/reports/board). */
export default async function ReportsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const dashboard = await openDashboard("/reports", await searchParams);
  const { filters, partnerships, label } = dashboard;
  return (
    <>
      <h1 className="govuk-heading-xl">Board reports</h1>
      <p className="govuk-body-l">The quarterly report for the partnership board: a summary written from the figures, every measure with its charts and tables, caveats about the data, and the glossary.</p>
      <ErrorSummary errors={dashboard.errors} />
      <form method="get" action="/api/reports/board" className="app-filters" aria-label="Board report" autoComplete="off">
        <div className="app-filters__row">
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset" id="filter-partnership">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Partnerships (several are reported together)</legend>
              <div className="govuk-checkboxes govuk-checkboxes--small app-filters__partnerships">
                {partnerships.map((p) => (
                  <div className="govuk-checkboxes__item" key={p.code}>
                    <input className="govuk-checkboxes__input" id={`report-${p.code}`} name="partnership" type="checkbox" value={p.code} defaultChecked={filters.partnerships.includes(p.code)} />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor={`report-${p.code}`}>
                      {p.name}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <div>
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="report-quarter">
                Quarter
              </label>
              <select className="govuk-select" id="report-quarter" name="quarter" defaultValue={filters.quarter}>
                {quarterChoices(filters.asOf).map((q) => (
                  <option key={q} value={q}>
                    {label(q)}
                  </option>
                ))}
              </select>
            </div>
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
    </>
  );
}
