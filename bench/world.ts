/**
 * The national-scale world the benchmarks run on (issue 4): partnerships on two procedures, twelve
 * agencies each, escalations, dissents and conference activity over three years, inserted in SQL
 * (deterministic by seed) straight into the fact tables: the benchmarks measure reading, not importing.
 */
import { sql } from "drizzle-orm";
import type { Warehouse } from "../db/client";
import { loadReferenceData, parseReferenceData } from "../server/reference/config";

export const AGENCIES_PER_PARTNERSHIP = 12;

export function reference(partnerships: number) {
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
export async function buildWorld(warehouse: Warehouse, partnerships: number, escalations: number, dissents: number): Promise<void> {
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
  // Real rows arrive an agency's upload at a time, so an agency's (and a partnership's) rows lie
  // together on disk; generated above one partnership after another in turn, each of a
  // partnership's rows would lie on a page of its own, and pages would read more of the table than
  // they do in use (bench/routes.ts, mean a request: 155 ms unclustered, 128 ms clustered).
  await db.execute(sql`cluster escalations using escalations_identity`);
  await db.execute(sql`cluster dissents using dissents_identity`);
  await db.execute(sql`analyze`);
}

export const NATIONAL = { partnerships: 150, escalations: 1_000_000, dissents: 300_000 };

/**
 * The national world in its own database on the local server, built once and kept (building takes
 * about half a minute): returns its URL. `rebuild` drops and builds it again.
 */
export async function nationalWorldUrl(serverUrl: string, name = "ew_bench_national", rebuild = false): Promise<string> {
  const { default: postgres } = await import("postgres");
  const { openWarehouse, queryRows } = await import("../db/client");
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const exists = (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
    if (exists && !rebuild) {
      const warehouse = await openWarehouse({ databaseUrl: url.toString() });
      const [row] = await queryRows<{ n: number }>(warehouse.db, sql`select count(*)::int as n from escalations`);
      await warehouse.close();
      if (row?.n === NATIONAL.escalations) return url.toString();
    }
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
    const warehouse = await openWarehouse({ databaseUrl: url.toString() });
    await buildWorld(warehouse, NATIONAL.partnerships, NATIONAL.escalations, NATIONAL.dissents);
    await warehouse.close();
    return url.toString();
  } finally {
    await admin.end();
  }
}
