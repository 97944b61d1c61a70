"use client";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import type { ImportResult } from "@/importers/importFile";
import type { UploadProgress } from "@/importers/uploadJobs";

interface Option {
  value: string;
  label: string;
}

type State =
  | { step: "choose"; error?: string }
  | { step: "uploading"; percent: number }
  | { step: "checking"; rowsRead: number }
  | { step: "preview"; token: string; preview: Extract<ImportResult, { outcome: "loaded" }>; fileName: string; error?: string }
  | { step: "already"; message: string }
  | { step: "committing"; rowsRead: number }
  | { step: "done"; result: Extract<ImportResult, { outcome: "loaded" }> };

/** Sends the file as the raw request body so it streams to the server, reporting progress. */
function send(url: string, file: File, onProgress: (percent: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(Math.round((event.loaded / event.total) * 100));
    xhr.onload = () => {
      try {
        resolve({ status: xhr.status, body: JSON.parse(xhr.responseText) });
      } catch {
        reject(new Error(`The server answered ${xhr.status} without an explanation.`));
      }
    };
    xhr.onerror = () => reject(new Error("The upload did not reach the server. Check your connection and try again."));
    xhr.send(file);
  });
}

const n = (value: number) => value.toLocaleString("en-GB");
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long a check or load may go unanswered (the service restarting, the network down) before the page gives up. */
const PATIENCE_MS = 60_000;

/**
 * Follows an upload's check or load, which runs on the server after the request that started it was
 * answered: asks how it is going every second, until it is done or has failed.
 */
async function follow(token: string, onRows: (rowsRead: number) => void): Promise<ImportResult> {
  let unanswered = 0;
  for (;;) {
    await pause(1000);
    let response: Response;
    let answer: { progress?: UploadProgress; error?: string };
    try {
      response = await fetch(`/api/uploads/${token}`, { cache: "no-store" });
      answer = (await response.json()) as typeof answer;
    } catch {
      // Not reached, or answered by something other than the app (a proxy's error page): ask again for a while.
      if ((unanswered += 1000) > PATIENCE_MS) throw new Error("The server has not answered for a minute. Check your connection, then look for the upload in the list below.");
      continue;
    }
    if (response.status === 503 && (unanswered += 1000) <= PATIENCE_MS) continue;
    unanswered = 0;
    const progress = answer.progress;
    if (!response.ok || !progress) throw new Error(answer.error ?? `The server answered ${response.status}.`);
    if (progress.step === "failed") throw new Error(progress.error?.message ?? "The upload failed.");
    if (progress.result) return progress.result;
    onRows(progress.rowsRead);
  }
}

export function UploadForm({ agencies, kinds }: { agencies: Array<{ code: string; name: string }>; kinds: Option[] }) {
  const router = useRouter();
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<State>({ step: "choose" });
  const [agency, setAgency] = useState("");
  const [kind, setKind] = useState(kinds[0]?.value ?? "escalations");

  async function upload(event: React.FormEvent) {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    const problems = [!agency && "Choose the agency whose log this is", !file && "Choose a CSV file to upload"].filter(Boolean);
    if (problems.length || !file) {
      setState({ step: "choose", error: problems.join(". ") + "." });
      return;
    }
    setState({ step: "uploading", percent: 0 });
    try {
      const query = new URLSearchParams({ kind, agency, fileName: file.name });
      const { status, body } = await send(`/api/uploads?${query}`, file, (percent) =>
        setState(percent < 100 ? { step: "uploading", percent } : { step: "checking", rowsRead: 0 }),
      );
      const answer = body as { token?: string; error?: string };
      if (status !== 202 || !answer.token) throw new Error(answer.error ?? `The server answered ${status}.`);
      const token = answer.token;
      const preview = await follow(token, (rowsRead) => setState({ step: "checking", rowsRead }));
      if (preview.outcome === "already_loaded") setState({ step: "already", message: preview.message });
      else setState({ step: "preview", token, preview, fileName: file.name });
    } catch (error) {
      setState({ step: "choose", error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function commit(checked: Extract<State, { step: "preview" }>) {
    const { token } = checked;
    setState({ step: "committing", rowsRead: 0 });
    try {
      const response = await fetch(`/api/uploads/${token}`, { method: "POST" });
      const answer = (await response.json()) as { error?: string };
      if (response.status !== 202) throw new Error(answer.error ?? `The server answered ${response.status}.`);
      const result = await follow(token, (rowsRead) => setState({ step: "committing", rowsRead }));
      if (result.outcome === "already_loaded") setState({ step: "already", message: result.message });
      else setState({ step: "done", result });
    } catch (error) {
      // Nothing was loaded and the file is still held: the preview stays, to load again.
      setState({ ...checked, error: error instanceof Error ? error.message : String(error) });
    }
    router.refresh();
  }

  async function cancel(token: string) {
    await fetch(`/api/uploads/${token}`, { method: "DELETE" });
    setState({ step: "choose" });
  }

  if (state.step === "preview" || state.step === "done") {
    const result = state.step === "preview" ? state.preview : state.result;
    const { counts } = result;
    return (
      <section className="panel" aria-labelledby={`${id}-result`}>
        {state.step === "preview" && state.error && (
          <div className="error-summary" role="alert" tabIndex={-1}>
            <h2 className="error-summary__title">The file was not loaded</h2>
            <p>{state.error}</p>
          </div>
        )}
        <h2 id={`${id}-result`}>
          {state.step === "preview" ? `Check before loading: ${state.fileName}` : `Loaded as batch ${state.result.batchId}`}
        </h2>
        <dl className="summary-list" data-testid="upload-counts">
          <div><dt>Rows read</dt><dd data-count="rows">{n(result.rowsRead)}</dd></div>
          <div><dt>{state.step === "preview" ? "New rows to load" : "New rows loaded"}</dt><dd data-count="loaded">{n(counts.loaded)}</dd></div>
          <div><dt>{state.step === "preview" ? "Rows that replace earlier versions" : "Rows that replaced earlier versions"}</dt><dd data-count="replaced">{n(counts.replaced)}</dd></div>
          <div><dt>Rows already loaded, unchanged</dt><dd data-count="unchanged">{n(counts.unchanged)}</dd></div>
          <div><dt>Rows rejected</dt><dd data-count="rejected">{n(counts.rejected)}</dd></div>
        </dl>
        {result.notes.length > 0 && (
          <div className="inset">
            {result.notes.map((note) => (
              <p key={note}>{note}</p>
            ))}
          </div>
        )}
        {result.rejects.length > 0 && (
          <table className="rejects">
            <caption>
              Rows that {state.step === "preview" ? "would be" : "were"} rejected
              {counts.rejected > result.rejects.length ? ` (the first ${n(result.rejects.length)} of ${n(counts.rejected)})` : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Column</th>
                <th scope="col">Value</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {result.rejects.flatMap((reject) =>
                reject.faults.map((fault, i) => (
                  <tr key={`${reject.rowNumber}-${i}`}>
                    <td>{reject.rowNumber}</td>
                    <td>{fault.column}</td>
                    <td>{fault.value}</td>
                    <td>{fault.reason}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
        {state.step === "preview" ? (
          <div className="button-group">
            <button type="button" className="button" onClick={() => commit(state)}>
              Load {n(counts.loaded + counts.replaced)} row(s){counts.rejected ? ` and keep the ${n(counts.rejected)} reject(s)` : ""}
            </button>
            <button type="button" className="button button--secondary" onClick={() => cancel(state.token)}>
              Cancel
            </button>
          </div>
        ) : (
          <div className="button-group">
            {counts.rejected > 0 && (
              <a className="button button--secondary" href={`/api/uploads/batches/${state.result.batchId}/rejects`} download>
                Download the rejects (CSV)
              </a>
            )}
            <button type="button" className="button button--secondary" onClick={() => setState({ step: "choose" })}>
              Upload another file
            </button>
          </div>
        )}
      </section>
    );
  }

  return (
    <form onSubmit={upload} noValidate className="panel">
      {state.step === "choose" && state.error && (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2 className="error-summary__title">There is a problem</h2>
          <p>{state.error}</p>
        </div>
      )}
      {state.step === "already" && (
        <div className="notification" role="status">
          <p>{state.message}</p>
        </div>
      )}
      <div className="form-group">
        <label htmlFor={`${id}-agency`}>Agency</label>
        <select id={`${id}-agency`} name="agency" value={agency} onChange={(e) => setAgency(e.target.value)}>
          <option value="">Choose the agency whose log this is</option>
          {agencies.map((a) => (
            <option key={a.code} value={a.code}>
              {a.name} ({a.code})
            </option>
          ))}
        </select>
      </div>
      <fieldset className="form-group">
        <legend>What the file holds</legend>
        {kinds.map((k) => (
          <div key={k.value} className="radio">
            <input type="radio" id={`${id}-kind-${k.value}`} name="kind" value={k.value} checked={kind === k.value} onChange={() => setKind(k.value)} />
            <label htmlFor={`${id}-kind-${k.value}`}>{k.label}</label>
          </div>
        ))}
      </fieldset>
      <div className="form-group">
        <label htmlFor={`${id}-file`}>CSV file</label>
        <input id={`${id}-file`} name="file" type="file" accept=".csv,.txt,text/csv" ref={fileInput} />
      </div>
      {state.step === "uploading" || state.step === "checking" || state.step === "committing" ? (
        <div role="status" aria-live="polite" className="progress">
          {state.step === "uploading" ? (
            <>
              <progress max={100} value={state.percent} aria-label="Upload progress" /> Uploading: {state.percent}%
            </>
          ) : state.step === "checking" ? (
            `Uploaded. Checking every row…${state.rowsRead ? ` ${n(state.rowsRead)} rows read so far.` : ""}`
          ) : (
            `Loading…${state.rowsRead ? ` ${n(state.rowsRead)} rows read so far.` : ""} You may leave this page: the load goes on, and the list below shows it once done.`
          )}
        </div>
      ) : (
        <button type="submit" className="button">
          Upload and check
        </button>
      )}
    </form>
  );
}
