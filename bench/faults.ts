/**
 * Faults on a real PostgreSQL server and a real disk (issue 8), against the production build:
 *
 * 1. the server stops in the middle of committing a 200,000-row upload and starts again: the user
 *    gets a plain 503, the batch is absent, and retrying the same upload loads every row once;
 * 2. the server stops for five seconds while eight readers browse pages and the API: requests fail
 *    cleanly (an error page or a 503 with a message) and the app recovers by itself, not restarted;
 * 3. the embedded data folder on a full disk, and one this user may not write: the server stops at
 *    start with the cause.
 *
 * It stops and starts the machine's PostgreSQL (pg_ctlcluster) and mounts a small tmpfs: run it on
 * its own, never beside the test suite.   npx tsx bench/faults.ts
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import postgres from "postgres";
import superjson from "superjson";
import { openWarehouse } from "../db/client";
import { ensureBuild, freePort, startApp } from "../tests/support/app";
import { launchBrowser } from "../tests/support/browser";
import { loadHandWorkedWorld } from "../tests/support/handWorld";
import { BENCH_AUTH_SECRET, signedInCookies } from "./session";
import { followUpload, sendUpload, startLoading } from "./uploading";

const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const NAME = "ew_bench_faults";
const url = new URL(SERVER);
url.pathname = `/${NAME}`;
const DATABASE_URL = url.toString();
const VERSION = fs.readdirSync("/etc/postgresql")[0]!;

const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cluster = (action: "stop" | "start") =>
  execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", VERSION, "main", action, ...(action === "stop" ? ["-m", "fast"] : [])], { stdio: "pipe" });

async function freshDatabase(): Promise<void> {
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${NAME} with (force)`);
  await admin.unsafe(`create database ${NAME}`);
  await admin.end();
}

async function counts(sql: postgres.Sql) {
  const [row] = await sql<{ batches: number; escalations: number; distinct_refs: number; rejects: number; commits: number }[]>`
    select (select count(*)::int from import_batches) as batches, (select count(*)::int from escalations) as escalations,
           (select count(distinct record_ref)::int from escalations) as distinct_refs, (select count(*)::int from import_rejects) as rejects,
           (select count(*)::int from audit_log where action = 'import.commit') as commits`;
  return row!;
}

async function uploadDuringRestart(app: { url: string }, uploader: string): Promise<void> {
  say("1. The server stops in the middle of committing an upload");
  const file = path.join(os.tmpdir(), "ew-faults-upload.csv");
  // South's schools upload; the readers of part 2 read North, whose pages this upload does not touch.
  const rows = Array.from({ length: 200_000 }, (_, i) => `F${i},SCH,HLT,2025-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")},thresholds,open`);
  fs.writeFileSync(file, `record_ref,raising_agency,receiving_agency,concern_arose_on,themes,status\n${rows.join("\n")}\n`);
  const client = { appUrl: app.url, cookie: uploader };
  const sent = await sendUpload(client, "kind=escalations&agency=SCH&fileName=quarter.csv", fs.readFileSync(file));
  if (!sent.token) throw new Error(`The upload was refused: ${sent.status} ${sent.error}`);
  const token = sent.token;
  const checked = await followUpload(client, token, 100);
  if (checked.result?.outcome !== "loaded") throw new Error(`The check did not finish: ${JSON.stringify(checked)}`);
  say(`   uploaded 200,000 rows (${(fs.statSync(file).size / 1e6).toFixed(1)} MB); the preview read ${checked.result.rowsRead.toLocaleString("en-GB")} rows`);

  const watcher = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const before = await counts(watcher);
  const loading = await startLoading(client, token);
  if (loading.status !== 202) throw new Error(`Loading did not start: ${loading.status} ${loading.error}`);
  const started = performance.now();
  // Wait until rows are being staged inside the upload's transaction, then stop the server under it.
  for (;;) {
    const [active] = await watcher<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = ${NAME} and state = 'active' and query like 'insert into import_staging%'`;
    if (active!.n > 0) break;
    if (performance.now() - started > 60_000) throw new Error("the commit never reached staging");
    await sleep(20);
  }
  await watcher.end({ timeout: 1 }).catch(() => {});
  const stoppedAt = performance.now();
  cluster("stop");
  say(`   stopped PostgreSQL ${((stoppedAt - started) / 1000).toFixed(1)} s into the commit, while rows were being staged`);
  // Followed as the uploads page does: while the database is away its questions get 503s, and it asks again.
  const following = followUpload(client, token, 100);
  await sleep(2_000);
  cluster("start");
  say("   started PostgreSQL again after 2 s");
  const failed = await following;
  say(`   the uploads page, asking every 100 ms through the restart, was then told: ${failed.step}, "${failed.error?.message}"`);

  const check = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const afterFailure = await counts(check);
  say(`   after the failure: ${JSON.stringify(afterFailure)} (before: ${JSON.stringify(before)}) → ${JSON.stringify(afterFailure) === JSON.stringify(before) ? "nothing of the batch is there" : "FAULT: the database changed"}`);

  const retried = await startLoading(client, token);
  const result = retried.status === 202 ? await followUpload(client, token, 100) : retried;
  say(`   retrying the same upload: ${retried.status}, then ${"step" in result ? result.step : ""} ${JSON.stringify(("result" in result && result.result?.outcome === "loaded" && result.result.counts) || result)}`);
  const afterRetry = await counts(check);
  const whole =
    afterRetry.escalations === before.escalations + 200_000 && afterRetry.distinct_refs === before.distinct_refs + 200_000 &&
    afterRetry.batches === before.batches + 1 && afterRetry.commits === before.commits + 1;
  say(`   after the retry: ${JSON.stringify(afterRetry)} → ${whole ? "every row once, one batch" : "FAULT"}`);
  await check.end();
  fs.rmSync(file, { force: true });
}

interface Reading {
  at: number;
  status: number;
  ms: number;
  what: string;
}

async function readersDuringRestart(app: { url: string; output(): string }, reader: string): Promise<void> {
  say("2. The server stops for 5 s while eight readers browse");
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ partnerships: ["north"], quarter: "2025-Q4" })));
  const targets = ["/?partnership=north&quarter=2025-Q4", "/escalations?partnership=north&quarter=2025-Q4", "/themes?partnership=north", `/api/trpc/metrics.overview?input=${input}`];
  const readings: Reading[] = [];
  const t0 = performance.now();
  const until = t0 + 30_000;
  const browse = async (n: number) => {
    for (let i = n; performance.now() < until; i++) {
      const target = targets[i % targets.length]!;
      const t = performance.now();
      let status = 0;
      let what = "";
      try {
        const response = await fetch(`${app.url}${target}`, { headers: { cookie: reader }, signal: AbortSignal.timeout(30_000) });
        status = response.status;
        const text = await response.text();
        if (status !== 200) {
          what = target.startsWith("/api/")
            ? (JSON.parse(text) as { error: { json: { message: string } } }).error.json.message
            : text.includes('id="__next_error__"') ? "Next's error document" : text.slice(0, 80);
        }
      } catch (error) {
        what = `no answer: ${(error as Error).message}`;
      }
      readings.push({ at: t - t0, status, ms: performance.now() - t, what: `${target.startsWith("/api/") ? "API" : "page"}: ${what}` });
      await sleep(100);
    }
  };
  const readers = Array.from({ length: 8 }, (_, n) => browse(n));
  await sleep(8_000);
  const stopAt = performance.now() - t0;
  cluster("stop");
  // What a person sees meanwhile: the page drawn in a browser.
  const browser = await launchBrowser();
  const context = await browser.newContext();
  await context.addCookies(reader.split("; ").map((c) => ({ name: c.split("=")[0]!, value: c.slice(c.indexOf("=") + 1), domain: "127.0.0.1", path: "/" })));
  const page = await context.newPage();
  const response = await page.goto(`${app.url}/escalations?partnership=north`);
  const seen = await page.locator("h1").first().textContent({ timeout: 10_000 }).catch((error: Error) => `(no heading: ${error.message})`);
  const button = await page.getByRole("button", { name: "Try again" }).count();
  await browser.close();
  await sleep(Math.max(0, 5_000 - (performance.now() - t0 - stopAt)));
  cluster("start");
  const startAt = performance.now() - t0;
  await Promise.all(readers);
  const failed = readings.filter((r) => r.status !== 200);
  const firstBack = readings.filter((r) => r.at > startAt && r.status === 200).sort((a, b) => a.at - b.at)[0];
  const afterBack = readings.filter((r) => firstBack && r.at >= firstBack.at);
  say(`   a person opening the escalations page meanwhile got ${response?.status()} and, in Chromium, the heading "${seen}"${button ? ' with a "Try again" button' : ""}`);
  say(`   ${readings.length} requests in 30 s; PostgreSQL stopped at ${(stopAt / 1000).toFixed(1)} s and was accepting again at ${(startAt / 1000).toFixed(1)} s`);
  say(`   failed: ${failed.length}, all between ${((failed[0]?.at ?? 0) / 1000).toFixed(1)} s and ${((failed.at(-1)?.at ?? 0) / 1000).toFixed(1)} s, answered:`);
  const kinds = new Map<string, number>();
  for (const f of failed) kinds.set(`${f.status} ${f.what}`, (kinds.get(`${f.status} ${f.what}`) ?? 0) + 1);
  for (const [kind, n] of kinds) say(`     ${String(n).padStart(4)} × ${kind}`);
  say(`   first success after the restart: ${firstBack ? `${((firstBack.at - startAt) / 1000).toFixed(2)} s after it accepted connections` : "NONE"}; ` +
    `${afterBack.filter((r) => r.status === 200).length} of ${afterBack.length} requests from then on succeeded (the app was not restarted)`);
  const perSecond = Array.from({ length: 31 }, (_, second) => {
    const inSecond = readings.filter((r) => Math.floor(r.at / 1000) === second);
    return `${second}s:${inSecond.filter((r) => r.status === 200).length}/${inSecond.filter((r) => r.status !== 200).length}`;
  });
  say(`   requests started each second, succeeded/failed: ${perSecond.join(" ")}`);
  const slowest = Math.max(...failed.map((f) => f.ms), 0);
  say(`   the slowest failure took ${(slowest / 1000).toFixed(1)} s to answer`);
  const logged = new Map<string, number>();
  for (const raw of app.output().split("\n").filter((l) => /fail|error/i.test(l))) {
    // Without colours and timestamps, so that the same message counts once.
    const line = stripVTControlCharacters(raw).replace(/^\s*\d{4}-\d\d-\d\dT[\d:.]+Z\s*/, "").slice(0, 150);
    logged.set(line, (logged.get(line) ?? 0) + 1);
  }
  say("   the app logged (most frequent first):");
  for (const [line, n] of [...logged].sort((a, b) => b[1] - a[1]).slice(0, 8)) say(`     ${String(n).padStart(4)} × ${line}`);
}

async function startsOn(dataDir: string, asUser?: number): Promise<string> {
  const port = await freePort();
  const args = ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"];
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", HOME: os.tmpdir() };
  delete env.DATABASE_URL;
  const child = asUser === undefined
    ? spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] })
    : spawn("setpriv", [`--reuid=${asUser}`, `--regid=${asUser}`, "--clear-groups", process.execPath, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill();
      resolve(null);
    }, 30_000);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  const message = /Cannot start: .*/.exec(output)?.[0] ?? `(no message; ${output.slice(-300)})`;
  return `${code === null ? "kept running (FAULT)" : `stopped with exit code ${code}`}: ${message}`;
}

async function dataFolderFaults(): Promise<void> {
  say("3. The embedded data folder cannot be used");
  const mount = fs.mkdtempSync(path.join(os.tmpdir(), "ew-faults-disk-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=48m", "tmpfs", mount]);
  try {
    // Fill the 48 MB disk but for 1 MB.
    execFileSync("dd", ["if=/dev/zero", `of=${path.join(mount, "filler")}`, "bs=1M", "count=47"], { stdio: "ignore" });
    say(`   a full disk (48 MB tmpfs, 1 MB free): ${await startsOn(path.join(mount, "data"))}`);
  } finally {
    execFileSync("umount", [mount]);
    fs.rmSync(mount, { recursive: true, force: true });
  }
  const locked = fs.mkdtempSync(path.join(os.tmpdir(), "ew-faults-locked-"));
  fs.chmodSync(locked, 0o700);
  try {
    say(`   a folder owned by root, the server run as nobody: ${await startsOn(path.join(locked, "data"), 65534)}`);
  } finally {
    fs.rmSync(locked, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  ensureBuild();
  await freshDatabase();
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const setup = await openWarehouse({ databaseUrl: DATABASE_URL });
  await loadHandWorkedWorld(setup.db);
  const cookies = await signedInCookies(setup.db, appUrl, [
    { email: "reader@faults.example", role: "admin", scope: "all" },
    { email: "uploader@faults.example", role: "uploader", scope: "SCH" },
  ]);
  await setup.close();
  const app = await startApp({ DATABASE_URL, BETTER_AUTH_SECRET: BENCH_AUTH_SECRET, CHILD_REF_SECRET: "faults-child-secret-faults-child-secret-01" }, port);
  try {
    await uploadDuringRestart(app, cookies.get("uploader@faults.example")!);
    await readersDuringRestart(app, cookies.get("reader@faults.example")!);
    const alive = await fetch(`${app.url}/sign-in`);
    say(`   the same app process still answers: ${alive.status}`);
  } finally {
    await app.stop();
    // The server is left running whatever happened above.
    try {
      cluster("start");
    } catch {
      // already running
    }
  }
  await dataFolderFaults();
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${NAME} with (force)`);
  await admin.end();
  fs.mkdirSync(path.join("bench", "out"), { recursive: true });
  fs.writeFileSync(path.join("bench", "out", "faults.txt"), `${lines.join("\n")}\n`);
}

await main();
