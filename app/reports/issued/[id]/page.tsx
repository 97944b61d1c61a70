import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { orNotFound } from "@/app/lib/dashboard";
import { formatUkDate } from "@/server/calendar/dates";
import { writtenIdSchema } from "@/server/inputs";

export const metadata: Metadata = { title: "Issued board report" };

const shown = (v: unknown) => (v === null || v === undefined ? "none" : String(v));

export default async function IssuedReportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { caller } = await capabilitiesFor(`/reports/issued/${encodeURIComponent(id)}`);
  // An id no issued report could have (0, -1, "1e3", too long) is answered as one that does not exist.
  const parsed = writtenIdSchema("an issued report").safeParse(id);
  if (!parsed.success) notFound();
  const report = await orNotFound(caller.reports.issuedReport({ id: parsed.data }));
  const doc = report.document;
  return (
    <>
      <span className="govuk-caption-l">{doc.partnerships.join(", ")}</span>
      <h1 className="govuk-heading-xl">
        {report.kind === "evidence" ? "Evidence return" : "Board report"}, {doc.quarterLabel}, issued {formatUkDate(report.issuedAt.toISOString().slice(0, 10))}
      </h1>
      <p className="govuk-body">
        Issued by {report.issuedBy}; records as they stood on {formatUkDate(report.asOf)}; {report.published ? "published figures" : <strong>exact figures, not for publication</strong>}.
        The files below are exactly what was issued.
      </p>
      <p className="govuk-body">
        <a className="govuk-link" href={`/api/reports/issued/${report.id}?format=pdf`} download>
          PDF as issued
        </a>{" "}
        ·{" "}
        <a className="govuk-link" href={`/api/reports/issued/${report.id}?format=docx`} download>
          Word document as issued
        </a>
      </p>
      {report.revisions.length === 0 ? (
        <div className="govuk-inset-text" id="revisions">
          No figure has changed since issue: today&apos;s records give the same figures as of {formatUkDate(report.asOf)}.
        </div>
      ) : (
        <div id="revisions">
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              Revised since issue: records corrected{report.procedureRevisions.length ? " or procedure versions revised" : ""} later change{" "}
              {report.revisions.length} figures of this report.
            </strong>
          </div>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">Figures that have changed since issue</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Figure</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">As issued</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Now</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {report.revisions.map((r) => (
                <tr className="govuk-table__row" key={r.figure}>
                  <th scope="row" className="govuk-table__header">
                    <code>{r.figure}</code>
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{shown(r.asIssued)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{shown(r.now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.procedureRevisions.length ? (
        <table className="govuk-table" id="procedure-revisions">
          <caption className="govuk-table__caption govuk-table__caption--m">Procedure versions of these partnerships revised since issue</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Version</th>
              <th scope="col" className="govuk-table__header">Revision</th>
              <th scope="col" className="govuk-table__header">What changed</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {report.procedureRevisions.map((r) => (
              <tr className="govuk-table__row" key={`${r.partnership}-${r.effectiveFrom}-${r.change}`}>
                <th scope="row" className="govuk-table__header">
                  {r.version} ({r.partnership}, effective from {formatUkDate(r.effectiveFrom)})
                </th>
                <td className="govuk-table__cell">{r.at ? `${r.change}, ${formatUkDate(r.at.toISOString().slice(0, 10))}` : r.change}</td>
                <td className="govuk-table__cell">{r.details.join("; ") || "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2 className="govuk-heading-l">Summary as issued</h2>
      <ul className="govuk-list govuk-list--bullet">
        {doc.summary.map((s, i) => (
          <li key={i}>{s}</li>
        ))}
      </ul>
      <p className="govuk-body">
        <a className="govuk-link" href="/reports">
          All board reports
        </a>
      </p>
    </>
  );
}
