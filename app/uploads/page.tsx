import type { Metadata } from "next";
import { capabilitiesFor, holds, noneIn } from "@/app/lib/capabilities";
import { UPLOAD_KINDS } from "@/importers/formats";
import { UndoButton } from "./UndoButton";
import { UploadForm } from "./UploadForm";

export const metadata: Metadata = { title: "Upload a log" };

const KIND_LABELS: Record<string, string> = {
  escalations: "Escalations",
  dissent: "Conference dissent",
  conference_activity: "Conference activity",
};

/** An upload's kind, and under it the file's name. */
function KindAndFile({ kind, fileName }: { kind: string; fileName: string }) {
  return (
    <td>
      {KIND_LABELS[kind] ?? kind}
      <br />
      <span className="hint">{fileName}</span>
    </td>
  );
}

const dateTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", dateStyle: "medium", timeStyle: "short" });

export default async function UploadsPage() {
  const { caller, uploadAgencies: uploadFor, readUploadAgencies: readFor, maySetUpPartnerships } = await capabilitiesFor("/uploads");
  if (noneIn(readFor)) {
    return (
      <>
        <h1>Upload a log</h1>
        <p className="lede">Your account does not upload logs. Agencies&apos; uploaders and the partnership&apos;s business manager do.</p>
      </>
    );
  }
  const agencies = (await caller.agencies.list()).filter((a) => holds(uploadFor, a.code));
  const [batches, running] = [await caller.uploads.batches({ limit: 50 }), await caller.uploads.running()];

  return (
    <>
      <h1>Upload a log</h1>
      <p className="lede">
        Upload your agency&apos;s export as a CSV file. You will see what would be loaded and every row that cannot be, before anything
        is saved.
      </p>

      {agencies.length === 0 && !noneIn(uploadFor) && (
        <div className="govuk-inset-text" data-empty="no-agencies">
          {maySetUpPartnerships ? (
            <>
              <strong>No agencies are set up yet</strong>, so there is nobody to upload for. Load the reference data (partnerships, procedures,
              agencies and closure days) with <code>npm run cli -- config load FILE</code>; <code>db/reference/demo.json</code> is an example.
            </>
          ) : (
            <>
              <strong>Your agency is not set up yet.</strong> Ask your partnership&apos;s business manager to add it before you upload.
            </>
          )}
        </div>
      )}

      {agencies.length > 0 && <UploadForm
        agencies={agencies.map((a) => ({ code: a.code, name: a.name }))}
        kinds={UPLOAD_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] ?? k }))}
      />}

      <h2>Templates</h2>
      <p>Each template has the header row and one example row. Columns may be in any order; common alternative names are accepted.</p>
      <ul className="govuk-list govuk-list--spaced">
        {UPLOAD_KINDS.map((kind) => (
          <li key={kind}>
            <a className="govuk-link" href={`/api/uploads/templates/${kind}.csv`} download>
              {KIND_LABELS[kind]} template (CSV)
            </a>
          </li>
        ))}
      </ul>

      {running.length > 0 && (
        <>
          <h2 id="running">Being checked or loaded now</h2>
          <table className="history" data-testid="running-uploads">
            <caption>Each moves to the list below once loaded. Reload this page to see how far they have got.</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Agency</th>
                <th scope="col">Kind and file</th>
                <th scope="col">Step</th>
                <th scope="col" className="numeric">Rows read so far</th>
              </tr>
            </thead>
            <tbody>
              {running.map((u) => (
                <tr key={`${u.agency}-${u.fileName}-${u.startedAt.getTime()}`}>
                  <td>{dateTime.format(u.startedAt)}</td>
                  <td>{u.agency}</td>
                  <KindAndFile kind={u.kind} fileName={u.fileName} />
                  <td>{u.step === "checking" ? "Being checked (nothing is saved yet)" : "Being loaded"}</td>
                  <td className="numeric">{u.rowsRead.toLocaleString("en-GB")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2 id="history">Uploads so far</h2>
      {batches.length === 0 ? (
        <p>Nothing has been uploaded yet.</p>
      ) : (
        <table className="history">
          <caption>The 50 most recent uploads, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Uploaded</th>
              <th scope="col">Agency</th>
              <th scope="col">Kind and file</th>
              <th scope="col" className="numeric">Loaded</th>
              <th scope="col" className="numeric">Replaced</th>
              <th scope="col" className="numeric">Unchanged</th>
              <th scope="col" className="numeric">Rejected</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id} data-batch={b.id}>
                <td>{b.id}</td>
                <td>{dateTime.format(b.uploadedAt)}</td>
                <td>{b.agency}</td>
                <KindAndFile kind={b.kind} fileName={b.fileName} />
                <td className="numeric">{b.loaded}</td>
                <td className="numeric">{b.replaced}</td>
                <td className="numeric">{b.unchanged}</td>
                <td className="numeric">
                  {b.rejected > 0 ? (
                    <a href={`/api/uploads/batches/${b.id}/rejects`} download>
                      {b.rejected}
                      <span className="visually-hidden"> rejects from batch {b.id}, download as CSV</span>
                    </a>
                  ) : (
                    0
                  )}
                </td>
                <td>
                  {b.status === "undone" ? (
                    <strong className="tag tag--grey">Undone</strong>
                  ) : (
                    <>
                      <strong className="tag tag--green">In force</strong>{" "}
                      {(UPLOAD_KINDS as readonly string[]).includes(b.kind) && holds(uploadFor, b.agency ?? "") && (
                        <UndoButton batchId={b.id} fileName={b.fileName} />
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
