/**
 * The uploads API as the uploads page uses it, for the benchmarks: send a file (its check starts in
 * the background), start loading it, and follow either until it ends, as the page does every second.
 */
import type { UploadProgress } from "../importers/uploadJobs";

export interface Uploader {
  appUrl: string;
  /** The signed-in uploader's cookie. */
  cookie: string;
}

const headersOf = (uploader: Uploader) => ({ cookie: uploader.cookie, origin: uploader.appUrl });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks how the upload is going every `everyMs` until its step has ended: what it ended in. Like the
 * page, it keeps asking through a minute of 503s (the database away: the app cannot check who asks).
 */
export async function followUpload(uploader: Uploader, token: string, everyMs = 1000): Promise<UploadProgress> {
  let unavailableMs = 0;
  for (;;) {
    await sleep(everyMs);
    const answer = await fetch(`${uploader.appUrl}/api/uploads/${token}`, { headers: headersOf(uploader) });
    const body = (await answer.json()) as { progress?: UploadProgress; error?: string };
    if (answer.status === 503 && (unavailableMs += everyMs) <= 60_000) continue;
    if (!answer.ok || !body.progress) throw new Error(`Following upload ${token}: ${answer.status} ${body.error}`);
    if (body.progress.step !== "checking" && body.progress.step !== "loading") return body.progress;
  }
}

/** Sends a file: the token naming the upload, once the server has it (202), or the refusal. */
export async function sendUpload(uploader: Uploader, query: string, body: Buffer<ArrayBuffer>): Promise<{ status: number; token?: string; error?: string }> {
  const answer = await fetch(`${uploader.appUrl}/api/uploads?${query}`, { method: "POST", headers: headersOf(uploader), body });
  const sent = (await answer.json()) as { token?: string; error?: string };
  return { status: answer.status, ...sent };
}

/** Starts loading a checked upload (202), or the refusal. */
export async function startLoading(uploader: Uploader, token: string): Promise<{ status: number; error?: string }> {
  const answer = await fetch(`${uploader.appUrl}/api/uploads/${token}`, { method: "POST", headers: headersOf(uploader) });
  const body = (await answer.json()) as { error?: string };
  return { status: answer.status, ...body };
}
