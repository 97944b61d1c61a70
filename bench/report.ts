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
import { loadReferenceData, parseReferenceData } from "../server/reference/config";

const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const QUARTER = "2026-Q2";
const AS_OF = "2026-10-15";
const AGENCIES_PER_PARTNERSHIP = 12;

function reference(partnerships: number) {
  const sectors = ["police", "health", "health", "health", "social_care", "education", "education", "probation", "youth_justice", "vcf", "vcf", "other"];
  return parseReferenceData({
    procedures: [
      { code: "five-by-two", name: "Five stages of two working days", stages: [1, 2, 3, 4, 5].map((n) => ({ number: n, name: `Stage ${n}`, limitWorkingDays: 2 })) },
      { code: "five-by-five", name: "Five steps of five working days", stageWord: "step", stages: [1, 2, 3, 4, 5].map((n) => ({ number: n, name: `Step ${n}`, limitWorkingDays: 5 })) },
    ],
    partnerships: Array.from({ length: partnerships }, (_, i) => ({
      code: `p${String(i + 1).padStart(3, "0")}`,
      name: `Partnership ${i + 1}`,
      procedure: i % 3 === 0 ? "five-by-five" : "five-by-two",
      closureDays: ["2025-12-29"],
    })),
    agencies: Array.from({ length: partnerships * AGENCIES_PER_PARTNERSHIP }, (_, i) => ({
      code: `A${String(i + 1).padStart(5, "0")}`,
      name: `Agency ${i + 1}`,
      sector: sectors[i % AGENCIES_PER_PARTNERSHIP],
      partnerships: [`p${String(Math.floor(i / AGENCIES_PER_PARTNERSHIP) + 1).padStart(3, "0")}`],
    })),
  });
}

/** Facts straight into the tables (the bench measures reports, not the importer), deterministic by seed. */
async function buildWorld(warehouse: Warehouse, partnerships: number, escalations: number, dissents: number): Promise<void> {
  const { db } = warehouse;
  await loadReferenceData(db, reference(partnerships), "bench");
  await db.execute(sql`insert into import_batches (kind, agency_id, file_name, file_sha256, uploaded_by) values ('demo', 1, 'bench', 'bench', 'bench')`);
  await db.execute(sql`select setseed(0.42)`);
  const themes = sql`(array['thresholds','assessment_outcome','roles_responsibilities','service_provision','information_sharing','conference_need','plan_decision','other'])`;
  await db.execute(sql`
    insert into escalations (partnership_id, agency_id, record_ref, record_ref_as_uploaded, batch_id, raising_agency_id, receiving_agency_id,
      concern_arose_on, themes, stage1_on, stage2_on, stage3_on, stage4_on, stage5_on, status, closed_on, learning_disseminated_on, content_hash)
    select x.p, x.raising, 'E' || g, 'E' || g, 1, x.raising, x.receiving, x.arose,
      array[${themes}[1 + (x.t * 8)::int % 8]],
      x.arose + x.d1, case when x.k >= 2 then x.arose + x.d2 end, case when x.k >= 3 then x.arose + x.d3 end,
      case when x.k >= 4 then x.arose + x.d4 end, case when x.k >= 5 then x.arose + x.d5 end,
      x.status, case when x.status <> 'open' then x.arose + x.d5 + 1 end,
      case when x.status = 'resolved' and x.k = 5 then x.arose + x.d5 + 10 end, 'bench'
    from generate_series(1, ${escalations}) g
    cross join lateral (
      select p, (p - 1) * ${AGENCIES_PER_PARTNERSHIP} + 1 + (g % ${AGENCIES_PER_PARTNERSHIP}) as raising,
             (p - 1) * ${AGENCIES_PER_PARTNERSHIP} + 1 + ((g + 1 + g % 5) % ${AGENCIES_PER_PARTNERSHIP}) as receiving,
             date '2023-10-01' + (random() * 1090)::int as arose, random() as t,
             case when r < 0.35 then 1 when r < 0.7 then 2 when r < 0.86 then 3 when r < 0.95 then 4 else 5 end as k,
             d1, d1 + d2 as d2, d1 + d2 + d3 as d3, d1 + d2 + d3 + d4 as d4, d1 + d2 + d3 + d4 + d5 as d5,
             case when s < 0.85 then 'resolved' when s < 0.92 then 'withdrawn' else 'open' end as status
      from (select 1 + (g::bigint * 7919) % ${partnerships} as p, random() as r, random() as s,
                   (random() * 3)::int as d1, (random() * 4)::int as d2, (random() * 4)::int as d3, (random() * 5)::int as d4, (random() * 5)::int as d5) z
    ) x`);
  await db.execute(sql`
    insert into dissents (partnership_id, agency_id, record_ref, record_ref_as_uploaded, batch_id, conference_date, conference_type,
      dissenting_agency_id, decision, themes, chair_followup_on, status, content_hash)
    select p, (p - 1) * ${AGENCIES_PER_PARTNERSHIP} + 5, 'D' || g, 'D' || g, 1, c, (array['initial','review','transfer_in'])[1 + g % 3],
      (p - 1) * ${AGENCIES_PER_PARTNERSHIP} + 1 + (g % 4), (array['cp_plan','no_cp_plan','plan_category','conference_not_convened'])[1 + g % 4],
      array['plan_decision'], case when g % 7 <> 0 then c + (g % 9) end, (array['open','resolved','escalated'])[1 + g % 3], 'bench'
    from (select g, 1 + (g::bigint * 7919) % ${partnerships} as p, date '2023-10-01' + (random() * 1090)::int as c from generate_series(1, ${dissents}) g) d`);
  await db.execute(sql`
    insert into conference_activity (partnership_id, month, initial_conferences, review_conferences, agency_id, batch_id)
    select p.id, m::date, 20 + p.id % 30, 40 + p.id % 50, (p.id - 1) * ${AGENCIES_PER_PARTNERSHIP} + 5, 1
    from partnerships p cross join generate_series(date '2023-10-01', date '2026-09-01', interval '1 month') m`);
  await db.execute(sql`analyze`);
}

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
