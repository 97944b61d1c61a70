import type { Metadata } from "next";
import { connection } from "next/server";
import { notFound } from "next/navigation";
import { orNotFound } from "@/app/lib/dashboard";
import { getAuth, requirePrincipal } from "@/app/lib/session";
import { formatUkDate } from "@/server/calendar/dates";
import { serverCaller } from "@/wiring/trpc/caller";

export const metadata: Metadata = { title: "Issued board report" };

const shown = (v: unknown) => (v === null || v === undefined ? "none" : String(v));

export default async function IssuedReportPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  const principal = await requirePrincipal(`/reports/issued/${encodeURIComponent(id)}`);
  if (!/^\d{1,9}$/.test(id)) notFound();
  const caller = await serverCaller(principal, await getAuth());
  const report = await orNotFound(caller.reports.issuedReport({ id: Number(id) }));
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
              Revised since issue: records corrected later change {report.revisions.length} figures of this report.
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
