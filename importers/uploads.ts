/**
 * Uploads from the browser: the file streams to a temporary folder (never held whole in memory),
 * is checked with a dry run, and is committed only when the user confirms what the preview showed.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { z } from "zod";
import type { Db } from "../db/client";
import { agenciesFor, type Principal } from "../server/access/permissions";
import { InvalidRequestError, NotFoundError } from "../server/errors";
import { UPLOAD_KINDS } from "./formats";
import { auditCancel, auditCheck } from "./importAudit";
import { FileRefusedError, importFile, importLimits, type ImportResult } from "./importFile";
import type { ChildRefHasher } from "./pseudonymise";
import { describeBytes, EMPTY_FILE_MESSAGE } from "./readCsv";
import { forgetUpload, listRunningUploads, startUploadStep, UploadBusyError, uploadJobAbout, uploadProgress, uploadStepRunning, type RunningUpload, type UploadAbout, type UploadFailure, type UploadProgress } from "./uploadJobs";

const UPLOAD_DIR = path.join(os.tmpdir(), "escalation-warehouse-uploads");
const KEEP_FOR_MS = 24 * 60 * 60 * 1000;
/** Rejects shown in a preview; the full list is downloadable once committed. */
export const PREVIEW_REJECTS = 500;

export const uploadRequestSchema = z.object({
  kind: z.enum(UPLOAD_KINDS, { message: `must be one of ${UPLOAD_KINDS.join(", ")}` }),
  agency: z.string().trim().min(1, { message: "choose the agency whose log this is" }),
  fileName: z
    .string()
    .trim()
    .min(1, { message: "choose a file" })
    .max(255)
    // Only the name is kept, for the history: never a path.
    .transform((name) => name.split(/[\\/]/).pop()!.replace(/[^\p{L}\p{N} ._()-]/gu, "_").replace(/^\.+$/, "") || "upload.csv"),
});
export type UploadRequest = z.infer<typeof uploadRequestSchema>;

const tokenSchema = z.string().regex(/^[a-f0-9]{32}$/, { message: "is not an upload reference" });

interface StoredUpload extends UploadRequest {
  receivedAt: string;
  bytes: number;
}

function paths(token: string) {
  const valid = tokenSchema.parse(token);
  return { file: path.join(UPLOAD_DIR, `${valid}.csv`), meta: path.join(UPLOAD_DIR, `${valid}.json`) };
}

/** Removes uploads nobody committed within a day. */
async function sweep(): Promise<void> {
  const now = Date.now();
  for (const name of await fs.promises.readdir(UPLOAD_DIR).catch(() => [] as string[])) {
    const full = path.join(UPLOAD_DIR, name);
    const stat = await fs.promises.stat(full).catch(() => null);
    if (stat && now - stat.mtimeMs > KEEP_FOR_MS) await fs.promises.rm(full, { force: true });
  }
}

/** Streams the request body to a temporary file, refusing it once it passes the size limit. */
export async function receiveUpload(body: WebReadableStream<Uint8Array> | null, request: UploadRequest): Promise<string> {
  if (!body) throw new FileRefusedError("No file arrived. Choose a file and upload it again.");
  await fs.promises.mkdir(UPLOAD_DIR, { recursive: true, mode: 0o700 });
  await sweep();
  const token = randomBytes(16).toString("hex");
  const { file, meta } = paths(token);
  const { maxBytes } = importLimits();
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        callback(new FileRefusedError(`The file is larger than ${describeBytes(maxBytes)}, the most one upload may be. Split it into smaller files (for example by quarter).`));
      } else callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body), limit, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    throw error;
  }
  if (bytes === 0) {
    // Refused at once: there is nothing to check in the background.
    await fs.promises.rm(file, { force: true });
    throw new FileRefusedError(EMPTY_FILE_MESSAGE);
  }
  const stored: StoredUpload = { ...request, receivedAt: new Date().toISOString(), bytes };
  await fs.promises.writeFile(meta, JSON.stringify(stored), { mode: 0o600 });
  return token;
}

async function stored(token: string): Promise<StoredUpload & { file: string }> {
  const { file, meta } = paths(token);
  try {
    const data = JSON.parse(await fs.promises.readFile(/*turbopackIgnore: true*/ meta, "utf8")) as StoredUpload;
    return { ...data, file };
  } catch {
    throw new NotFoundError(UPLOAD_GONE_MESSAGE);
  }
}

/** What a person is told of an upload that is not there (or, the same words, not theirs to see). */
export const UPLOAD_GONE_MESSAGE = "This upload is no longer waiting to be loaded (it was loaded, cancelled, or is more than a day old). Upload the file again.";

/** Who checks or loads an upload in the background, and how its failures are told (uploadJobs.ts). */
export interface UploadWorker {
  db: Db;
  hasher: ChildRefHasher;
  actor: string;
  explain: (error: unknown) => UploadFailure;
}

/**
 * Checks (a dry run) or loads the stored file; once loaded, it is no longer kept. A check leaves
 * its audit row here, whatever it found (a load writes its own, in its transaction).
 */
async function importStored(worker: UploadWorker, token: string, dryRun: boolean, onProgress: (rowsRead: number) => void): Promise<ImportResult> {
  const upload = await stored(token);
  const { db, actor, hasher } = worker;
  const audited = { actor, agency: upload.agency, kind: upload.kind, fileName: upload.fileName };
  let result: ImportResult;
  try {
    result = await importFile(db, { filePath: upload.file, fileName: upload.fileName, kind: upload.kind, agency: upload.agency, actor, hasher, dryRun, rejectsToReturn: PREVIEW_REJECTS, onProgress });
  } catch (error) {
    if (dryRun) {
      const refused = error instanceof FileRefusedError;
      // The person is told of the failure itself; an audit row that cannot be written is logged, not put in its place.
      await auditCheck(db, audited, { outcome: refused ? "refused" : "failure", message: (error as Error).message }).catch((auditError: unknown) =>
        console.error(`The check of upload ${token} was not audited:`, (auditError as Error).message),
      );
    }
    throw error;
  }
  if (dryRun) {
    await auditCheck(
      db,
      audited,
      result.outcome === "loaded" ? { outcome: "success", rowsRead: result.rowsRead, counts: result.counts } : { outcome: "success", earlierBatch: result.batchId },
    );
  }
  if (!dryRun) await removeStored(token);
  return result;
}

/** Starts the dry run of a received upload in the background; its preview is read with followUpload. */
export async function startCheck(worker: UploadWorker, token: string): Promise<UploadProgress> {
  return startUploadStep(token, await about(token), "checking", (onProgress) => importStored(worker, token, true, onProgress), worker.explain);
}

/** Starts loading an upload the person has checked, in the background. */
export async function startLoad(worker: UploadWorker, token: string): Promise<UploadProgress> {
  return startUploadStep(token, await about(token), "loading", (onProgress) => importStored(worker, token, false, onProgress), worker.explain);
}

export const INTERRUPTED_MESSAGE =
  "This upload stopped before it finished: the service restarted. Loading is all or nothing, so the warehouse holds either every row of it or none. " +
  "Upload the file again: its check will say if it is loaded already.";

/**
 * How the upload's check or load is going. An upload still waiting here that this process knows
 * nothing of was being checked or loaded by a process that has stopped.
 */
export async function followUpload(token: string): Promise<UploadProgress> {
  const progress = uploadProgress(token);
  if (progress) return progress;
  await stored(token);
  return { step: "failed", rowsRead: 0, error: { status: 503, message: INTERRUPTED_MESSAGE } };
}

/** What an upload is, while it waits or after it was checked or loaded here. */
async function about(token: string): Promise<UploadAbout> {
  const known = uploadJobAbout(token);
  if (known) return known;
  const { agency, kind, fileName } = await stored(token);
  return { agency, kind, fileName };
}

/** The agency an upload is for (who may follow, load or cancel it depends on it). */
export async function uploadAgency(token: string): Promise<string> {
  return (await about(token)).agency;
}

/** The uploads being checked or loaded now (by this app) for the agencies whose uploads the person may see. */
export async function getRunningUploads(db: Db, principal: Principal): Promise<RunningUpload[]> {
  return listRunningUploads(await agenciesFor(db, principal, "uploads.read"));
}

/** Who cancels an upload, for its audit row. */
export interface UploadCanceller {
  db: Db;
  actor: string;
}

/** Cancels an upload waiting to be loaded; the cancel (or its refusal while a step runs) is audited. */
export async function discardUpload(token: string, by: UploadCanceller): Promise<void> {
  const { agency, kind, fileName } = await about(token);
  const audited = { actor: by.actor, agency, kind, fileName };
  if (uploadStepRunning(token)) {
    await auditCancel(by.db, audited, "refused");
    throw new UploadBusyError("This upload is being checked or loaded and cannot be cancelled now.");
  }
  await removeStored(token);
  forgetUpload(token);
  await auditCancel(by.db, audited, "success");
}

async function removeStored(token: string): Promise<void> {
  const { file, meta } = paths(token);
  await fs.promises.rm(file, { force: true });
  await fs.promises.rm(meta, { force: true });
}

export function assertUploadToken(token: string): string {
  const parsed = tokenSchema.safeParse(token);
  if (!parsed.success) throw new InvalidRequestError("That is not an upload reference.");
  return parsed.data;
}
