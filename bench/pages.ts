/**
 * Dashboard pages benchmark (issue 6), on the national-scale world (150 partnerships, 1,000,000
 * escalations, 300,000 dissents; bench/world.ts) served by the production build over postgres.js:
 *
 * - server response of each page for one partnership (time to the whole HTML, signed in), median and
 *   p95 of 20 requests after 3 to warm up; target: median under 300 ms;
 * - the records page in headless Chromium with ~50,000 escalations in scope: the first screen (from
 *   navigation to the newest 50 rows drawn, rendered by the server; target under 1 s), and the whole
 *   list loaded as Arrow and ready to sort, filter and page;
 * - the Arrow download behind it on its own (time and size).
 *
 * - then the same pages on the embedded database (PGlite) over 15 partnerships and 100,000 escalations.
 *
 *   npx tsx bench/pages.ts            (builds the world once into database ew_bench_national and keeps it;
 *                                      BENCH_REBUILD=1 builds it again; BENCH_SKIP_PGLITE=1 skips PGlite)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openWarehouse, queryRows } from "../db/client";
import { ensureBuild, freePort, startApp } from "../tests/support/app";
import { launchBrowser } from "../tests/support/browser";
import { BENCH_AUTH_SECRET as BETTER_AUTH_SECRET, signedInCookies } from "./session";
import { buildWorld, nationalWorldUrl } from "./world";

const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const ADMIN = { email: "bench-admin@national.example", role: "admin" as const, scope: "all" };
const RUNS = 20;

function stats(ms: number[]): { median: number; p95: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95) };
}

/** Each page for partnership p042 (or p012 on the smaller world), `runs` requests after 3 to warm up. */
async function timePages(url: string, cookie: string, recordId: number, say: (line: string) => void, runs: number, partnership = "p042", agency = "A00493"): Promise<void> {
  const p = `partnership=${partnership}`;
  const pages: Array<[string, string]> = [
    ["Overview", `/?${p}`],
    ["Escalations", `/escalations?${p}`],
    ["Themes", `/themes?${p}`],
    ["Dissent", `/dissent?${p}`],
    ["Agency profile", `/agencies/${agency}`],
    ["Data quality", `/data-quality?${p}`],
    ["Records (first screen)", `/records?${p}`],
    ["Record", `/records/${partnership}/${recordId}`],
    ["Glossary", "/glossary"],
  ];
  say(`Server response, one partnership (${partnership}), ${runs} requests each after 3 to warm up:`);
  for (const [name, href] of pages) {
    const times: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const t = performance.now();
      const response = await fetch(`${url}${href}`, { headers: { cookie }, redirect: "manual" });
      const body = await response.text();
      if (response.status !== 200 || body.length < 1000) throw new Error(`${href} answered ${response.status}: ${body.slice(0, 200)}`);
      if (i >= 3) times.push(performance.now() - t);
    }
    const s = stats(times);
    say(`  ${name.padEnd(24)} median ${s.median.toFixed(0).padStart(4)} ms   p95 ${s.p95.toFixed(0).padStart(4)} ms   ${s.median < 300 ? "" : "(over the 300 ms target)"}`);
  }
}

/** The same pages on the embedded database (PGlite) over a smaller world: 15 partnerships, 100,000 escalations. */
async function pglitePages(say: (line: string) => void): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ew-bench-pages-"));
  try {
    const lite = await openWarehouse({ dataDir });
    const started = performance.now();
    await buildWorld(lite, 15, 100_000, 30_000);
    const [record] = await queryRows<{ id: number }>(lite.db, sql`select id::int from escalations where partnership_id = 12 and status = 'open' order by id limit 1`);
    await lite.close();
    say(`PGlite world (15 partnerships, 100,000 escalations, 30,000 dissents) built in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const setup = await openWarehouse({ dataDir });
    const cookie = (await signedInCookies(setup.db, url, [ADMIN])).get(ADMIN.email)!;
    await setup.close();
    const app = await startApp({ DATA_DIR: dataDir, BETTER_AUTH_SECRET }, port);
    try {
      await timePages(app.url, cookie, record!.id, say, 10, "p012", "A00133");
    } finally {
      await app.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  const started = performance.now();
  const databaseUrl = await nationalWorldUrl(SERVER, "ew_bench_national", Boolean(process.env.BENCH_REBUILD));
  const world = await openWarehouse({ databaseUrl });
  const port = await freePort();
  const cookie = (await signedInCookies(world.db, `http://127.0.0.1:${port}`, [ADMIN])).get(ADMIN.email)!;
  const [record] = await queryRows<{ id: number }>(world.db, sql`select id::int from escalations where partnership_id = 42 and status = 'open' order by id limit 1`);
  // ~50,000 escalations in scope: 8 partnerships × three years.
  const [inScope] = await queryRows<{ n: number }>(world.db, sql`select count(*)::int as n from escalations where partnership_id between 1 and 8 and concern_arose_on between '2023-10-01' and '2026-09-30'`);
  await world.close();
  say(`National world ready (${((performance.now() - started) / 1000).toFixed(0)} s): 150 partnerships, 1,000,000 escalations, 300,000 dissents.`);

  ensureBuild();
  const app = await startApp({ DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET }, port);
  try {

    await timePages(app.url, cookie, record!.id, say, RUNS);

    const scope = `${Array.from({ length: 8 }, (_, i) => `partnership=p${String(i + 1).padStart(3, "0")}`).join("&")}&from=2023-Q4&quarter=2026-Q3`;
    const arrowTimes: number[] = [];
    let bytes = 0;
    let rows = "";
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      const response = await fetch(`${app.url}/api/records?${scope}`, { headers: { cookie } });
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.status !== 200) throw new Error(`records answered ${response.status}`);
      if (i >= 1) arrowTimes.push(performance.now() - t);
      bytes = body.length;
      rows = response.headers.get("x-record-count") ?? "?";
    }
    say(`Records as Arrow, ${Number(rows).toLocaleString("en-GB")} escalations in scope (${inScope!.n.toLocaleString("en-GB")} in the tables), ${(bytes / 1e6).toFixed(1)} MB: median ${stats(arrowTimes).median.toFixed(0)} ms`);

    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const url = new URL(app.url);
      await context.addCookies(cookie.split("; ").map((c) => ({ name: c.split("=")[0]!, value: c.slice(c.indexOf("=") + 1), domain: url.hostname, path: "/" })));
      const page = await context.newPage();
      const screens: number[] = [];
      const ready: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t = performance.now();
        await page.goto(`${app.url}/records?${scope}`, { waitUntil: "commit" });
        await page.locator("#records tbody tr").first().waitFor();
        const first = performance.now() - t;
        await page.locator("#records[data-rows] tbody tr").first().waitFor();
        if (i >= 1) {
          screens.push(first);
          ready.push(performance.now() - t);
        }
      }
      const shown = await page.locator("#records-status-line").textContent();
      const s = stats(screens);
      const r = stats(ready);
      say(`Records page in Chromium, ${rows} escalations in scope: first screen (the newest 50 rows drawn) median ${s.median.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms;`);
      say(`  the whole list loaded as Arrow, ready to sort, filter and page: median ${r.median.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms (${shown?.trim()})`);
    } finally {
      await browser.close();
    }
  } finally {
    await app.stop();
  }
  if (!process.env.BENCH_SKIP_PGLITE) await pglitePages(say);
  fs.mkdirSync(path.join("bench", "out"), { recursive: true });
  fs.writeFileSync(path.join("bench", "out", "pages.txt"), `${lines.join("\n")}\n`);
}

await main();
