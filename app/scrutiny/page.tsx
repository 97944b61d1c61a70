import type { Metadata } from "next";
import { PartnershipChoices, QuarterSelect, ThemeSelect } from "@/app/components/Choices";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { NothingSetUp } from "@/app/components/NothingSetUp";
import { openDashboard, quarterChoices, type SearchParams } from "@/app/lib/dashboard";
import { formatUkDate } from "@/server/calendar/dates";

export const metadata: Metadata = { title: "Scrutiny samples" };

/** The scrutineer's audit: draw a reproducible random sample of records, then record a finding on each. */
export default async function ScrutinyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const dashboard = await openDashboard("/scrutiny", await searchParams, { records: true, trendQuarters: 4 });
  if (dashboard.partnerships.length === 0) return <NothingSetUp dashboard={dashboard} title="Scrutiny samples" />;
  const { filters, partnerships, themes, label, caller } = dashboard;
  const samples = await caller.scrutiny.samples();
  const quarters = quarterChoices(filters.asOf);
  return (
    <>
      <h1 className="govuk-heading-xl">Scrutiny samples</h1>
      <p className="govuk-body-l">
        Draw a random sample of escalation records to audit. The seed is shown and kept: the same seed over the same records draws the same sample.
      </p>
      <ErrorSummary errors={dashboard.errors} />
      <form method="post" action="/api/scrutiny/draw" className="app-filters" aria-label="Draw a sample" autoComplete="off">
        <div className="app-filters__row">
          <PartnershipChoices partnerships={partnerships} chosen={filters.partnerships} idPrefix="sample" />
          <div>
            <QuarterSelect id="sample-from" name="from" text="Concerns arising from" quarters={quarters} chosen={filters.from} label={label} />
            <QuarterSelect id="sample-quarter" name="quarter" text="to" quarters={quarters} chosen={filters.quarter} label={label} />
          </div>
          <div>
            <ThemeSelect id="sample-theme" themes={themes} anyText="Any theme" />
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="sample-size">
                Records to sample
              </label>
              <input className="govuk-input govuk-input--width-4" id="sample-size" name="size" type="number" min={1} max={500} defaultValue={20} inputMode="numeric" />
            </div>
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="sample-seed">
                Seed (leave empty for a new one)
              </label>
              <input className="govuk-input govuk-input--width-10" id="sample-seed" name="seed" type="text" inputMode="numeric" pattern="[0-9]*" />
            </div>
            <button type="submit" className="govuk-button">
              Draw the sample
            </button>
          </div>
        </div>
      </form>

      <h2 className="govuk-heading-l">Samples</h2>
      {samples.length === 0 ? (
        <p className="govuk-body">No sample has been drawn yet.</p>
      ) : (
        <table className="govuk-table" id="samples">
          <caption className="govuk-table__caption govuk-table__caption--s">Samples you can see, newest first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Sample</th>
              <th scope="col" className="govuk-table__header">Partnerships</th>
              <th scope="col" className="govuk-table__header">Quarters</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Records (of eligible)</th>
              <th scope="col" className="govuk-table__header">Seed</th>
              <th scope="col" className="govuk-table__header">Drawn</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {samples.map((s) => (
              <tr className="govuk-table__row" key={s.id}>
                <th scope="row" className="govuk-table__header">
                  <a className="govuk-link" href={`/scrutiny/${s.id}`}>
                    Sample {s.id}
                  </a>
                </th>
                <td className="govuk-table__cell">{s.partnerships.join(", ")}</td>
                <td className="govuk-table__cell">
                  {label(s.from)} to {label(s.to)}
                  {s.themes.length ? ` (${s.themes.join(", ")})` : ""}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric">
                  {s.size} of {s.eligible}
                </td>
                <td className="govuk-table__cell">
                  <code>{s.seed}</code>
                </td>
                <td className="govuk-table__cell">
                  {formatUkDate(s.createdAt.toISOString().slice(0, 10))} by {s.createdBy}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
