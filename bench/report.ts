/**
 * Board report benchmark (issue 4): a national-scale world (150 partnerships, 1,000,000 escalations,
 * 300,000 dissents, three years) built in SQL on the local PostgreSQL through postgres.js; prints the
 * median and p95 time of one partnership-quarter board report, the time of all 150 partnerships'
 * reports for one quarter, a full scan of the escalations table as the floor, and the plan of the
 * headline query. Then the same single report on PGlite over a 100,000-escalation world.
 *
 *   npx tsx bench/report.ts                 (BENCH_SKIP_PGLITE=1 to skip the PGlite part)
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openWarehouse, queryRows, type Warehouse } from "../db/client";
import { getBoardReport } from "../server/metrics/boardReport";
import { escalationsAsOf } from "../server/metrics/escalationMeasures";
import { resolveScope } from "../server/metrics/scope";
import { buildWorld } from "./world";

const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const QUARTER = "2026-Q2";
const AS_OF = "2026-10-15";
function stats(ms: number[]): { median: number; p95: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95) };
}

async function timeReports(warehouse: Warehouse, codes: string[], repeats: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const code = codes[i % codes.length]!;
    const started = performance.now();
    await getBoardReport(warehouse.db, { partnerships: [code], quarter: QUARTER, asOf: AS_OF });
    times.push(performance.now() - started);
  }
  return times;
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(line);
  };

  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe("drop database if exists ew_bench_report with (force)");
  await admin.unsafe("create database ew_bench_report");
  const u = new URL(SERVER);
  u.pathname = "/ew_bench_report";
  const server = await openWarehouse({ databaseUrl: u.toString() });
  let started = performance.now();
  await buildWorld(server, 150, 1_000_000, 300_000);
  say(`National world (150 partnerships, 1,000,000 escalations, 300,000 dissents, 3 years) built in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  const codes = Array.from({ length: 150 }, (_, i) => `p${String(i + 1).padStart(3, "0")}`);

  await timeReports(server, codes, 10); // warm the caches
  const one = stats(await timeReports(server, codes, 100));
  say(`postgres.js, one partnership-quarter board report (${QUARTER}, as of ${AS_OF}), 100 runs over different partnerships: median ${one.median.toFixed(1)} ms, p95 ${one.p95.toFixed(1)} ms`);

  started = performance.now();
  for (const code of codes) await getBoardReport(server.db, { partnerships: [code], quarter: QUARTER, asOf: AS_OF });
  say(`postgres.js, all 150 partnerships' reports for ${QUARTER}, one after another: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  started = performance.now();
  const queue = [...codes];
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let code = queue.shift(); code; code = queue.shift()) await getBoardReport(server.db, { partnerships: [code], quarter: QUARTER, asOf: AS_OF });
  }));
  say(`postgres.js, the same 150 reports four at a time: ${((performance.now() - started) / 1000).toFixed(2)} s`);

  const scans: number[] = [];
  for (let i = 0; i < 5; i++) {
    started = performance.now();
    await queryRows(server.db, sql`select count(*), count(closed_on), max(concern_arose_on) from escalations`);
    scans.push(performance.now() - started);
  }
  say(`postgres.js, one full scan of the escalations table (the floor): median ${stats(scans).median.toFixed(0)} ms`);

  const scope = await resolveScope(server.db, { partnerships: ["p042"], quarter: QUARTER, asOf: AS_OF });
  const plan = await queryRows<{ "QUERY PLAN": string }>(
    server.db,
    sql`explain (analyze, costs off, timing off) with ${escalationsAsOf(scope)} select count(*) from reached r where r.arose between ${scope.period.start}::date and ${scope.period.end}::date`,
  );
  say("EXPLAIN of the escalations-as-of query for one partnership:");
  for (const row of plan) say(`    ${row["QUERY PLAN"]}`);
  await server.close();
  await admin.unsafe("drop database if exists ew_bench_report with (force)");
  await admin.end();

  if (!process.env.BENCH_SKIP_PGLITE) {
    const lite = await openWarehouse({});
    started = performance.now();
    await buildWorld(lite, 15, 100_000, 30_000);
    say(`PGlite world (15 partnerships, 100,000 escalations, 30,000 dissents) built in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    const liteCodes = codes.slice(0, 15);
    await timeReports(lite, liteCodes, 5);
    const t = stats(await timeReports(lite, liteCodes, 30));
    say(`PGlite, one partnership-quarter board report: median ${t.median.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`);
    await lite.close();
  }
  const out = path.join(process.cwd(), "bench", "out");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "report.txt"), `${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
