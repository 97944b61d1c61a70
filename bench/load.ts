/**
 * Load at quarter end (issue 8), with wrk against the production build on postgres.js and the
 * national-scale world (150 partnerships, 1,000,000 escalations; bench/world.ts), on 127.0.0.1:
 *
 * - 50 signed-in readers across the five roles, five on each of ten routes (dashboard pages and tRPC
 *   queries), each reader's requests moving through the partnerships in its scope. A reader is one
 *   wrk connection (bench/readers.lua) that reads each answer for a while before asking for the next,
 *   on a new connection each time (the server closes a connection idle for 5 s, as a browser finds
 *   after reading a page; wrk would count each such close as an error and then not wait);
 * - meanwhile two agencies (in different partnerships) each upload a 100,000-row file through the
 *   upload API: the preview (a dry run), then the commit;
 * - phase 1, "browsing": each reader reads for 5 s on average (exponentially distributed, so readers
 *   arrive independently: about 10 requests a second in all), for 2 minutes, with the uploads
 *   running; target 0 errors, p95 under 1 s for pages, uploads done;
 * - phase 2, "saturation": the same 50 readers with no pause at all for 30 s, to show the ceiling.
 *
 * Prints throughput, p50/p95/p99 per route (wrk keeps every answer's time) and errors, and writes
 * them to bench/out/load.txt. The two uploads are undone at the end (the world stays as built).
 *
 *   npx tsx bench/load.ts    (needs wrk: apt-get install -y wrk; LOAD_SECONDS=120, SATURATION_SECONDS=30,
 *                             THINK_SECONDS=5 and LOAD_UPLOADS=0, for the readers alone, change the run;
 *                             APP_PRELOAD=file.cjs is required into the app)
 *
 * (Until 23 November 2026 this used autocannon with overallRate: that makes one connection per
 * route, not five, and every instance sends on the same second's tick, so the ten routes arrived
 * together as bursts of ten requests each second: not 50 readers.)
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { openWarehouse } from "../db/client";
import { undoBatch } from "../importers/batches";
import { agency, firstAgencyOf, prepareReaders, ROUTES } from "./readers";
import { followUpload, sendUpload, startLoading } from "./uploading";
import { AGENCIES_PER_PARTNERSHIP, NATIONAL } from "./world";

const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 120);
const SATURATION_SECONDS = Number(process.env.SATURATION_SECONDS ?? 30);
const READERS_PER_ROUTE = 5;
/** LOAD_UPLOADS=0 runs the readers alone, to see what the uploads cost them. */
const WITH_UPLOADS = process.env.LOAD_UPLOADS !== "0";
const THINK_SECONDS = Number(process.env.THINK_SECONDS ?? 5);
const WRK = "/usr/bin/wrk";
/** Seeds the readers' think times (each route adds its index): a run can be repeated. */
const SEED = Number(process.env.LOAD_SEED ?? 20261123);

const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};

/** What bench/readers.lua prints at the end of one route's run (times in ms). */
const wrkResult = z.object({
  requests: z.number(),
  seconds: z.number(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  connect: z.number(),
  read: z.number(),
  write: z.number(),
  timeout: z.number(),
  non200: z.record(z.string(), z.number()),
});
type RouteResult = z.infer<typeof wrkResult> & { name: string; page: boolean };

/** One wrk per route, all at once, five readers (connections) each; even a reader's first request waits its think time. */
async function readers(appUrl: string, cookies: Map<string, string>, seconds: number, thinkSeconds: number, dir: string, seed: number): Promise<RouteResult[]> {
  return Promise.all(
    ROUTES.map(async (route, r) => {
      const pathsFile = path.join(dir, `route-${r}.txt`);
      fs.writeFileSync(pathsFile, `${Array.from({ length: 5_000 }, (_, i) => route.path(r * 1000 + i)).join("\n")}\n`);
      const args = ["-t1", `-c${READERS_PER_ROUTE}`, `-d${seconds}s`, "--timeout", "30s", "-H", `Cookie: ${cookies.get(route.user)!}`, "-H", "Connection: close", "-s", "bench/readers.lua", appUrl, "--", pathsFile, String(thinkSeconds), String(seed + r)];
      const output = await new Promise<string>((resolve, reject) =>
        execFile(WRK, args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => (error ? reject(new Error(`wrk for ${route.name} failed: ${stderr || error.message}`)) : resolve(stdout))),
      );
      const line = output.split("\n").find((l) => l.startsWith("RESULT "));
      if (!line) throw new Error(`wrk for ${route.name} printed no result:\n${output}`);
      return { name: route.name, page: route.page, ...wrkResult.parse(JSON.parse(line.slice("RESULT ".length))) };
    }),
  );
}

function report(title: string, results: RouteResult[]): boolean {
  say(title);
  say("  route                    requests  per s    p50 ms   p95 ms   p99 ms   max ms  non-200  errors");
  let ok = true;
  let total = 0;
  let failures = 0;
  let worstPageP95 = 0;
  for (const r of results) {
    const non200 = Object.values(r.non200).reduce((n, c) => n + c, 0);
    const errors = r.connect + r.read + r.write + r.timeout;
    total += r.requests;
    failures += non200 + errors;
    if (non200 + errors > 0 || (r.page && r.p95 >= 1000)) ok = false;
    if (r.page) worstPageP95 = Math.max(worstPageP95, r.p95);
    say(
      `  ${r.name.padEnd(24)} ${String(r.requests).padStart(8)} ${(r.requests / r.seconds).toFixed(1).padStart(6)} ${r.p50.toFixed(0).padStart(8)} ` +
        `${r.p95.toFixed(0).padStart(8)} ${r.p99.toFixed(0).padStart(8)} ${r.max.toFixed(0).padStart(8)} ${String(non200).padStart(8)} ${String(errors).padStart(7)}` +
        `${non200 ? `  (${Object.entries(r.non200).map(([s, c]) => `${c}×${s}`).join(", ")})` : ""}`,
    );
  }
  const seconds = Math.max(...results.map((r) => r.seconds));
  say(`  all routes: ${total} requests, ${(total / seconds).toFixed(1)} a second; highest page p95 ${worstPageP95.toFixed(0)} ms; ${failures} errors`);
  return ok;
}

/** One agency's 100,000-row escalation log: raised with the other agencies of its partnership over 2026. */
function uploadFile(agencyNumber: number, dir: string): string {
  const file = path.join(dir, `${agency(agencyNumber)}.csv`);
  const first = agencyNumber;
  const rows: string[] = ["record_ref,raising_agency,receiving_agency,concern_arose_on,themes,stage1_on,status,closed_on"];
  for (let i = 0; i < 100_000; i++) {
    const month = String(1 + (i % 9)).padStart(2, "0");
    const day = String(1 + (i % 27)).padStart(2, "0");
    const closed = i % 3 === 0 ? `2026-${month}-28` : "";
    rows.push(`LOAD-${agency(agencyNumber)}-${i},${agency(first)},${agency(first + 1 + (i % (AGENCIES_PER_PARTNERSHIP - 1)))},2026-${month}-${day},thresholds,2026-${month}-${day},${closed ? "resolved" : "open"},${closed}`);
  }
  fs.writeFileSync(file, `${rows.join("\n")}\n`);
  return file;
}

interface UploadOutcome {
  agency: string;
  previewMs: number;
  commitMs: number;
  status: string;
  batchId?: number;
}

/** Uploads as the uploads page does: send the file, follow its check, start loading, follow the load (asking every second). */
async function upload(appUrl: string, cookie: string, agencyCode: string, file: string): Promise<UploadOutcome> {
  const uploader = { appUrl, cookie };
  const t0 = performance.now();
  try {
    const sent = await sendUpload(uploader, `kind=escalations&agency=${agencyCode}&fileName=${path.basename(file)}`, fs.readFileSync(file));
    if (sent.status !== 202 || !sent.token) return { agency: agencyCode, previewMs: performance.now() - t0, commitMs: 0, status: `upload ${sent.status}: ${sent.error}` };
    const checked = await followUpload(uploader, sent.token);
    const previewMs = performance.now() - t0;
    if (checked.step !== "checked") return { agency: agencyCode, previewMs, commitMs: 0, status: `check ${checked.step}: ${checked.error?.message}` };
    const t1 = performance.now();
    const loading = await startLoading(uploader, sent.token);
    if (loading.status !== 202) return { agency: agencyCode, previewMs, commitMs: 0, status: `load ${loading.status}: ${loading.error}` };
    const loaded = await followUpload(uploader, sent.token);
    const commitMs = performance.now() - t1;
    const result = loaded.result;
    if (loaded.step !== "loaded" || result?.outcome !== "loaded") return { agency: agencyCode, previewMs, commitMs, status: `load ${loaded.step}: ${loaded.error?.message ?? result?.outcome}` };
    return { agency: agencyCode, previewMs, commitMs, status: `loaded ${JSON.stringify(result.counts)}`, batchId: result.batchId ?? undefined };
  } catch (error) {
    return { agency: agencyCode, previewMs: performance.now() - t0, commitMs: 0, status: `failed: ${(error as Error).message} (${String((error as Error).cause)})` };
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(WRK)) throw new Error(`This benchmark needs wrk at ${WRK}: apt-get install -y wrk`);
  const { databaseUrl, appUrl, cookies, startServing } = await prepareReaders(SERVER);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ew-load-"));
  const uploaders = [firstAgencyOf(7), firstAgencyOf(99)];
  const files = uploaders.map((a) => uploadFile(a, dir));
  const app = await startServing();
  const outcomes: UploadOutcome[] = [];
  try {
    // Warm up: every route once, so that first-request compilation is not measured. The upload
    // routes too (the app loads a route's code on its first request: about a second for these,
    // which would stall every reader at the start of phase 1): a request without a file, and a
    // commit of an upload that does not exist, which are both refused.
    for (const route of ROUTES) await fetch(`${appUrl}${route.path(0)}`, { headers: { cookie: cookies.get(route.user)! } });
    const uploader = { cookie: cookies.get("uploader-1@load.example")!, origin: appUrl };
    for (const warmUp of [`/api/uploads?kind=escalations&agency=${agency(uploaders[0]!)}&fileName=warm-up.csv`, `/api/uploads/${"0".repeat(32)}`]) {
      const refused = await fetch(`${appUrl}${warmUp}`, { method: "POST", headers: uploader });
      if (refused.ok) throw new Error(`The warm-up request ${warmUp} was not refused`);
    }
    say(`Load on the national world (${NATIONAL.partnerships} partnerships, ${NATIONAL.escalations.toLocaleString("en-GB")} escalations), production build on postgres.js, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}.`);

    const uploading = WITH_UPLOADS ? Promise.all(uploaders.map((a, i) => upload(appUrl, cookies.get(`uploader-${i + 1}@load.example`)!, agency(a), files[i]!))) : Promise.resolve([]);
    const browsing = await readers(appUrl, cookies, LOAD_SECONDS, THINK_SECONDS, dir, SEED);
    outcomes.push(...(await uploading));
    const met = report(
      `Phase 1, browsing: 50 readers (5 per route, each reading for ${THINK_SECONDS} s on average between requests) for ${LOAD_SECONDS} s, ${WITH_UPLOADS ? "while two agencies each upload 100,000 rows" : "with no uploads (LOAD_UPLOADS=0)"}:`,
      browsing,
    );
    for (const o of outcomes) say(`  upload by ${o.agency}: preview ${(o.previewMs / 1000).toFixed(1)} s, commit ${(o.commitMs / 1000).toFixed(1)} s: ${o.status}`);
    const uploadsDone = outcomes.every((o) => o.batchId !== undefined) && outcomes.length === (WITH_UPLOADS ? 2 : 0);
    if (!uploadsDone) say(`  the app said:\n${app.output().slice(-3000)}`);
    say(`  target (0 errors, p95 under 1 s for every page, uploads complete): ${met && uploadsDone ? "met" : "NOT MET"}`);

    const saturated = await readers(appUrl, cookies, SATURATION_SECONDS, 0, dir, SEED + 100);
    report(`Phase 2, saturation: the same 50 readers with no pause, for ${SATURATION_SECONDS} s (the ceiling, not a target):`, saturated);
  } finally {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    const world = await openWarehouse({ databaseUrl });
    for (const o of outcomes) if (o.batchId !== undefined) await undoBatch(world.db, o.batchId, "bench");
    // The undone rows are dead tuples until vacuumed: without this, the next run reads a bloated table.
    await world.db.execute(sql`vacuum analyze escalations, escalation_versions`);
    await world.close();
  }
  fs.mkdirSync(path.join("bench", "out"), { recursive: true });
  fs.writeFileSync(path.join("bench", "out", "load.txt"), `${lines.join("\n")}\n`);
}

await main();
