/**
 * Load at quarter end (issue 8), with autocannon against the production build on postgres.js and
 * the national-scale world (150 partnerships, 1,000,000 escalations; bench/world.ts), on 127.0.0.1:
 *
 * - 50 signed-in readers across the five roles, five on each of ten routes (dashboard pages and tRPC
 *   queries), each reader's requests moving through the partnerships in its scope;
 * - meanwhile two agencies (in different partnerships) each upload a 100,000-row file through the
 *   upload API: the preview (a dry run), then the commit;
 * - phase 1, "browsing": each reader waits about 5 s between pages (10 requests a second in all),
 *   for 2 minutes, with the uploads running; target 0 errors, p95 under 1 s for pages, uploads done;
 * - phase 2, "saturation": the same 50 readers with no pause at all for 30 s, to show the ceiling.
 *
 * Prints throughput, p50/p95/p99 per route (from every response's own time) and errors, and
 * writes them to bench/out/load.txt. The two uploads are undone at the end (the world stays as built).
 *
 *   npx tsx bench/load.ts        (LOAD_SECONDS=120 and SATURATION_SECONDS=30 to change the phases)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import superjson from "superjson";
import { openWarehouse } from "../db/client";
import { undoBatch } from "../importers/batches";
import { ensureBuild, freePort, startApp } from "../tests/support/app";
import { BENCH_AUTH_SECRET, signedInCookies, type BenchUser } from "./session";
import { AGENCIES_PER_PARTNERSHIP, nationalWorldUrl, NATIONAL } from "./world";

const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 120);
const SATURATION_SECONDS = Number(process.env.SATURATION_SECONDS ?? 30);
const READERS_PER_ROUTE = 5;
/** LOAD_UPLOADS=0 runs the readers alone, to see what the uploads cost them. */
const WITH_UPLOADS = process.env.LOAD_UPLOADS !== "0";
const THINK_SECONDS = Number(process.env.THINK_SECONDS ?? 5);
// autocannon paces an instance at one request a second at the least.
if (READERS_PER_ROUTE / THINK_SECONDS < 1) throw new Error(`THINK_SECONDS may be at most ${READERS_PER_ROUTE} (autocannon paces at 1 request a second at least)`);

const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};

const partnership = (n: number) => `p${String(n).padStart(3, "0")}`;
const agency = (n: number) => `A${String(n).padStart(5, "0")}`;
/** The first agency of partnership n (agencies are numbered twelve to a partnership). */
const firstAgencyOf = (n: number) => (n - 1) * AGENCIES_PER_PARTNERSHIP + 1;

const USERS: BenchUser[] = [
  { email: "admin@load.example", role: "admin", scope: "all" },
  { email: "board@load.example", role: "board", scope: "all" },
  { email: "scrutineer@load.example", role: "scrutineer", scope: "all" },
  { email: "lead@load.example", role: "agency_lead", scope: agency(firstAgencyOf(42) + 4) },
  { email: "uploader-1@load.example", role: "uploader", scope: agency(firstAgencyOf(7)) },
  { email: "uploader-2@load.example", role: "uploader", scope: agency(firstAgencyOf(99)) },
];

const trpc = (procedure: string, input: unknown) => `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;

/** Ten routes; each reader's successive requests go to successive partnerships. */
const ROUTES: Array<{ name: string; page: boolean; user: string; path: (i: number) => string }> = [
  { name: "Overview page", page: true, user: "board@load.example", path: (i) => `/?partnership=${partnership(1 + (i % NATIONAL.partnerships))}` },
  { name: "Escalations page", page: true, user: "board@load.example", path: (i) => `/escalations?partnership=${partnership(1 + ((i * 7) % NATIONAL.partnerships))}` },
  { name: "Themes page", page: true, user: "scrutineer@load.example", path: (i) => `/themes?partnership=${partnership(1 + ((i * 11) % NATIONAL.partnerships))}` },
  { name: "Dissent page", page: true, user: "board@load.example", path: (i) => `/dissent?partnership=${partnership(1 + ((i * 13) % NATIONAL.partnerships))}` },
  { name: "Data quality page", page: true, user: "admin@load.example", path: (i) => `/data-quality?partnership=${partnership(1 + ((i * 17) % NATIONAL.partnerships))}` },
  { name: "Agency profile page", page: true, user: "lead@load.example", path: () => `/agencies/${agency(firstAgencyOf(42) + 4)}` },
  { name: "Records page", page: true, user: "scrutineer@load.example", path: (i) => `/records?partnership=${partnership(1 + ((i * 19) % NATIONAL.partnerships))}` },
  { name: "API metrics.overview", page: false, user: "board@load.example", path: (i) => trpc("metrics.overview", { partnerships: [partnership(1 + ((i * 23) % NATIONAL.partnerships))], quarter: "2026-Q2" }) },
  { name: "API metrics.trends", page: false, user: "admin@load.example", path: (i) => trpc("metrics.trends", { partnerships: [partnership(1 + ((i * 29) % NATIONAL.partnerships))] }) },
  { name: "API metrics.breakdowns", page: false, user: "scrutineer@load.example", path: (i) => trpc("metrics.breakdowns", { partnerships: [partnership(1 + ((i * 31) % NATIONAL.partnerships))], from: "2025-Q3", to: "2026-Q2" }) },
];

interface RouteResult {
  name: string;
  page: boolean;
  times: number[];
  statuses: Map<number, number>;
  errors: number;
  timeouts: number;
}

function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN;
}

/** One autocannon instance per route, all at once; every response's time is kept for exact percentiles. */
async function readers(appUrl: string, cookies: Map<string, string>, seconds: number, think: boolean): Promise<RouteResult[]> {
  return Promise.all(
    ROUTES.map(async (route, r) => {
      const result: RouteResult = { name: route.name, page: route.page, times: [], statuses: new Map(), errors: 0, timeouts: 0 };
      let counter = r * 1000;
      const done = await new Promise<autocannon.Result>((resolve, reject) => {
        const options: autocannon.Options = {
          url: appUrl,
          connections: READERS_PER_ROUTE,
          duration: seconds,
          timeout: 30,
          // With a pause: each of the five readers asks for a page every THINK_SECONDS on average.
          ...(think ? { overallRate: READERS_PER_ROUTE / THINK_SECONDS } : {}),
          headers: { cookie: cookies.get(route.user)! },
          requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: route.path(counter++) }) }],
        };
        const instance = autocannon(options, (error, finished) => (error ? reject(error) : resolve(finished)));
        instance.on("response", (_client, statusCode, _bytes, responseTime) => {
          result.times.push(responseTime);
          result.statuses.set(statusCode, (result.statuses.get(statusCode) ?? 0) + 1);
        });
        instance.on("reqError", () => result.errors++);
      });
      result.timeouts = done.timeouts;
      return result;
    }),
  );
}

function report(title: string, results: RouteResult[], seconds: number): boolean {
  say(title);
  say("  route                    requests  per s    p50 ms   p95 ms   p99 ms   non-200  errors");
  let ok = true;
  const all: number[] = [];
  let total = 0;
  let failures = 0;
  for (const r of results) {
    const sorted = [...r.times].sort((a, b) => a - b);
    all.push(...sorted);
    const non200 = [...r.statuses].filter(([s]) => s !== 200).reduce((n, [, c]) => n + c, 0);
    total += r.times.length;
    failures += non200 + r.errors + r.timeouts;
    const p95 = percentile(sorted, 0.95);
    if (non200 + r.errors + r.timeouts > 0 || (r.page && p95 >= 1000)) ok = false;
    say(
      `  ${r.name.padEnd(24)} ${String(r.times.length).padStart(8)} ${(r.times.length / seconds).toFixed(1).padStart(6)} ${percentile(sorted, 0.5).toFixed(0).padStart(8)} ` +
        `${p95.toFixed(0).padStart(8)} ${percentile(sorted, 0.99).toFixed(0).padStart(8)} ${String(non200).padStart(9)} ${String(r.errors + r.timeouts).padStart(7)}` +
        `${non200 ? `  (${[...r.statuses].filter(([s]) => s !== 200).map(([s, c]) => `${c}×${s}`).join(", ")})` : ""}`,
    );
  }
  all.sort((a, b) => a - b);
  say(`  all routes: ${total} requests, ${(total / seconds).toFixed(1)} a second; p50 ${percentile(all, 0.5).toFixed(0)} ms, p95 ${percentile(all, 0.95).toFixed(0)} ms, p99 ${percentile(all, 0.99).toFixed(0)} ms; ${failures} errors`);
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

async function upload(appUrl: string, cookie: string, agencyCode: string, file: string): Promise<UploadOutcome> {
  const headers = { cookie, origin: appUrl };
  const t0 = performance.now();
  let sent: Response;
  try {
    sent = await fetch(`${appUrl}/api/uploads?kind=escalations&agency=${agencyCode}&fileName=${path.basename(file)}`, { method: "POST", headers, body: fs.readFileSync(file) });
  } catch (error) {
    return { agency: agencyCode, previewMs: performance.now() - t0, commitMs: 0, status: `preview failed: ${(error as Error).message} (${String((error as Error).cause)})` };
  }
  const previewMs = performance.now() - t0;
  const preview = (await sent.json()) as { token?: string; error?: string };
  if (!sent.ok || !preview.token) return { agency: agencyCode, previewMs, commitMs: 0, status: `preview ${sent.status}: ${preview.error}` };
  const t1 = performance.now();
  const committed = await fetch(`${appUrl}/api/uploads/${preview.token}`, { method: "POST", headers });
  const body = (await committed.json()) as { result?: { outcome: string; batchId: number; counts: Record<string, number> }; error?: string };
  const commitMs = performance.now() - t1;
  if (!committed.ok || body.result?.outcome !== "loaded") return { agency: agencyCode, previewMs, commitMs, status: `commit ${committed.status}: ${body.error ?? body.result?.outcome}` };
  return { agency: agencyCode, previewMs, commitMs, status: `loaded ${JSON.stringify(body.result.counts)}`, batchId: body.result.batchId };
}

async function main(): Promise<void> {
  const databaseUrl = await nationalWorldUrl(SERVER);
  ensureBuild();
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const setup = await openWarehouse({ databaseUrl });
  const cookies = await signedInCookies(setup.db, appUrl, USERS);
  await setup.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ew-load-"));
  const uploaders = [firstAgencyOf(7), firstAgencyOf(99)];
  const files = uploaders.map((a) => uploadFile(a, dir));
  const app = await startApp({ DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET: BENCH_AUTH_SECRET, CHILD_REF_SECRET: "load-child-secret-load-child-secret-0123" }, port);
  const outcomes: UploadOutcome[] = [];
  try {
    // Warm up: every route once, so that first-request compilation is not measured.
    for (const route of ROUTES) await fetch(`${appUrl}${route.path(0)}`, { headers: { cookie: cookies.get(route.user)! } });
    say(`Load on the national world (${NATIONAL.partnerships} partnerships, ${NATIONAL.escalations.toLocaleString("en-GB")} escalations), production build on postgres.js, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}.`);

    const uploading = WITH_UPLOADS ? Promise.all(uploaders.map((a, i) => upload(appUrl, cookies.get(`uploader-${i + 1}@load.example`)!, agency(a), files[i]!))) : Promise.resolve([]);
    const browsing = await readers(appUrl, cookies, LOAD_SECONDS, true);
    outcomes.push(...(await uploading));
    const met = report(
      `Phase 1, browsing: 50 readers (5 per route, about ${THINK_SECONDS} s between pages) for ${LOAD_SECONDS} s, ${WITH_UPLOADS ? "while two agencies each upload 100,000 rows" : "with no uploads (LOAD_UPLOADS=0)"}:`,
      browsing,
      LOAD_SECONDS,
    );
    for (const o of outcomes) say(`  upload by ${o.agency}: preview ${(o.previewMs / 1000).toFixed(1)} s, commit ${(o.commitMs / 1000).toFixed(1)} s: ${o.status}`);
    const uploadsDone = outcomes.every((o) => o.batchId !== undefined) && outcomes.length === (WITH_UPLOADS ? 2 : 0);
    if (!uploadsDone) say(`  the app said:\n${app.output().slice(-3000)}`);
    say(`  target (0 errors, p95 under 1 s for every page, uploads complete): ${met && uploadsDone ? "met" : "NOT MET"}`);

    const saturated = await readers(appUrl, cookies, SATURATION_SECONDS, false);
    report(`Phase 2, saturation: the same 50 readers with no pause, for ${SATURATION_SECONDS} s (the ceiling, not a target):`, saturated, SATURATION_SECONDS);
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
