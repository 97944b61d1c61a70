/**
 * Checking and loading an upload run in the background of the app's process: the request that
 * starts one is answered at once, and the uploads page asks how it is going every second or so.
 * Under load at quarter end a 100,000-row file took over a minute to load (bench/load.ts), longer
 * than a proxy in front of the app keeps a request open (nginx's default is 60 s): in one request
 * the person would have been shown a failure for a load that went on to succeed.
 *
 * What is running is kept in this process's memory (ADR 0015): a restart loses it, and the upload
 * is then reported as interrupted. Loading is one transaction, so it is all or nothing either way.
 */
import type { ImportResult } from "./importFile";
import { processWide } from "../db/processWide";

/** checking and loading run; checked waits for the person to confirm; the rest are ends. */
export type UploadStep = "checking" | "checked" | "loading" | "loaded" | "failed";

export interface UploadProgress {
  step: UploadStep;
  /** Rows read so far by the step running (or by the last one). */
  rowsRead: number;
  /** The preview (checked) or what was loaded (loaded). */
  result?: ImportResult;
  /** Why it failed, in plain English, with the HTTP status the failure would have had. */
  error?: UploadFailure;
}

export interface UploadFailure {
  status: number;
  message: string;
}

/** What the upload is, as the uploads page lists it while a step runs. */
export interface UploadAbout {
  /** The agency the upload is for: who may follow it depends on it, after the file is gone too. */
  agency: string;
  kind: string;
  fileName: string;
}

interface Job extends UploadProgress {
  about: UploadAbout;
  startedAt: Date;
  changedAt: number;
}

/** A step running now, for the uploads page. */
export interface RunningUpload extends UploadAbout {
  step: "checking" | "loading";
  rowsRead: number;
  startedAt: Date;
}

/** Finished steps are remembered as long as an unconfirmed upload is kept (importers/uploads.ts). */
const KEEP_FOR_MS = 24 * 60 * 60 * 1000;

const jobs = processWide("uploadJobs", () => new Map<string, Job>());

const running = (step: UploadStep) => step === "checking" || step === "loading";

function forget(now: number): void {
  for (const [token, job] of jobs) if (!running(job.step) && now - job.changedAt > KEEP_FOR_MS) jobs.delete(token);
}

function view(job: Job): UploadProgress {
  const { step, rowsRead, result, error } = job;
  return { step, rowsRead, ...(result ? { result } : {}), ...(error ? { error } : {}) };
}

export class UploadBusyError extends Error {}

/**
 * Starts checking (a dry run) or loading an upload, unless that step is already running or done
 * (a second press of the button shows the same one). `explain` turns a failure into what the person
 * is told; a failure it does not recognise it also logs, so none is lost.
 */
export function startUploadStep(
  token: string,
  about: UploadAbout,
  step: "checking" | "loading",
  work: (onProgress: (rowsRead: number) => void) => Promise<ImportResult>,
  explain: (error: unknown) => UploadFailure,
): UploadProgress {
  const now = Date.now();
  forget(now);
  const current = jobs.get(token);
  if (current && (current.step === step || (step === "loading" && current.step === "loaded"))) return view(current);
  if (current?.step === "checking") throw new UploadBusyError("This upload is still being checked. Load it once the check has finished.");
  if (current?.step === "loading" || current?.step === "loaded") throw new UploadBusyError("This upload is being loaded or has been loaded already.");
  const job: Job = { step, rowsRead: 0, about, startedAt: new Date(now), changedAt: now };
  jobs.set(token, job);
  const done = step === "checking" ? "checked" : "loaded";
  void work((rowsRead) => {
    job.rowsRead = rowsRead;
  }).then(
    (result) => Object.assign(job, { step: done, result, changedAt: Date.now() }),
    (error: unknown) => Object.assign(job, { step: "failed", error: explain(error), changedAt: Date.now() }),
  );
  return view(job);
}

/** How the upload's latest step is going, if this process started one. */
export function uploadProgress(token: string): UploadProgress | undefined {
  const job = jobs.get(token);
  return job && view(job);
}

/** What an upload this process checked or loaded is. */
export function uploadJobAbout(token: string): UploadAbout | undefined {
  return jobs.get(token)?.about;
}

/** The steps running in this process for these agencies ("all": every one), the longest running first. */
export function listRunningUploads(agencies: string[] | "all"): RunningUpload[] {
  const listed: RunningUpload[] = [];
  for (const job of jobs.values()) {
    if ((job.step === "checking" || job.step === "loading") && (agencies === "all" || agencies.includes(job.about.agency))) {
      listed.push({ ...job.about, step: job.step, rowsRead: job.rowsRead, startedAt: job.startedAt });
    }
  }
  return listed.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}

/** Forgets a cancelled upload. */
export function forgetUpload(token: string): void {
  jobs.delete(token);
}

/** True while a step of the upload runs: it may not be cancelled then. */
export function uploadStepRunning(token: string): boolean {
  const job = jobs.get(token);
  return job !== undefined && running(job.step);
}
