/**
 * The warehouse stays ready to be distributed on partnership_id (Citus, issue 8): every fact table
 * carries partnership_id, which leads its primary key and is part of every unique index; foreign keys
 * from fact tables point only at reference tables (which Citus copies to every node), never between
 * fact tables; and the calendar the measures join is keyed by partnership too.
 * Read from the migrated database's own catalogue, on both databases.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import { useTestWarehouse } from "./support/db";

const ctx = useTestWarehouse();
/** Small tables every node would hold a copy of (Citus reference tables). */
const REFERENCE = ["partnerships", "procedures", "procedure_stages", "agencies", "agency_aliases", "agency_partnerships", "themes", "bank_holidays", "closure_days"];
const FACTS = ["escalations", "escalation_versions", "dissents", "dissent_versions", "conference_activity", "conference_activity_versions", "calendar_days", "scrutiny_findings"];

describe("distribution on partnership_id", () => {
  it("every fact table has partnership_id first in its primary key and in every unique index", async () => {
    const indexes = await queryRows<{ table: string; index: string; is_primary: boolean; columns: string[] }>(
      ctx.db,
      sql`select t.relname as table, i.relname as index, x.indisprimary as is_primary,
                 array(select a.attname::text from unnest(x.indkey) with ordinality k(attnum, n)
                       join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n) as columns
          from pg_index x join pg_class t on t.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
          join pg_namespace ns on ns.oid = t.relnamespace
          where ns.nspname = 'public' and x.indisunique and t.relname = any(${`{${FACTS.join(",")}}`}::text[])`,
    );
    const tables = new Set(indexes.map((i) => i.table));
    // scrutiny_findings is keyed by (sample, position): a small table, kept with its samples rather than distributed.
    expect([...tables].sort()).toEqual([...FACTS].sort());
    const breaking = indexes
      .filter((i) => i.table !== "scrutiny_findings")
      .filter((i) => (i.is_primary ? i.columns[0] !== "partnership_id" : !i.columns.includes("partnership_id")))
      .map((i) => `${i.table}.${i.index} (${i.columns.join(", ")})`);
    expect(breaking).toEqual([]);
  });

  it("foreign keys from fact tables point only at reference tables, and none points at a fact table", async () => {
    const keys = await queryRows<{ constraint: string; from_table: string; to_table: string }>(
      ctx.db,
      sql`select c.conname as constraint, f.relname as from_table, t.relname as to_table
          from pg_constraint c join pg_class f on f.oid = c.conrelid join pg_class t on t.oid = c.confrelid
          where c.contype = 'f' and (f.relname = any(${`{${FACTS.join(",")}}`}::text[]) or t.relname = any(${`{${FACTS.join(",")}}`}::text[]))`,
    );
    // calendar_days → partnerships is the one today: partnerships would be a reference table.
    expect(keys.filter((k) => FACTS.includes(k.to_table) || !REFERENCE.includes(k.to_table))).toEqual([]);
    expect(keys.map((k) => `${k.from_table} → ${k.to_table}`)).toEqual(["calendar_days → partnerships"]);
  });
});
