/**
 * The warehouse stays ready to be distributed on partnership_id (Citus, issue 8): every fact table
 * carries partnership_id, which leads its primary key and is part of every unique index; foreign keys
 * from fact tables point only at reference tables (which Citus copies to every node), never between
 * fact tables; and the calendar the measures join is keyed by partnership too.
 * Read from the migrated database's own catalogue, on both databases.
 */
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { describe, expect, it } from "vitest";
import { queryRows, type Db } from "../db/client";
import * as schema from "../db/schema";
import { getBoardReport } from "../server/metrics/boardReport";
import { getBreakdowns, getDissentQuarters } from "../server/metrics/dashboard";
import { getAgencyProfile } from "../server/metrics/agencyProfile";
import { getDataQuality } from "../server/metrics/dataQuality";
import { getAgencyMatrix, getOverdueEscalations, getTrends } from "../server/metrics/operational";
import { getOverview } from "../server/metrics/overview";
import { listEscalationRecords } from "../server/records/escalationRecords";
import { useTestWarehouse } from "./support/db";
import { loadHandWorkedWorld } from "./support/handWorld";

const ctx = useTestWarehouse();
/** Small tables every node would hold a copy of (Citus reference tables). */
const REFERENCE = ["partnerships", "procedure_versions", "procedure_version_stages", "agencies", "agency_aliases", "agency_partnerships", "themes", "bank_holidays", "closure_days"];
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

interface PlanNode {
  "Relation Name"?: string;
  Filter?: string;
  "Index Cond"?: string;
  "Recheck Cond"?: string;
  "Hash Cond"?: string;
  "Merge Cond"?: string;
  "Join Filter"?: string;
  Plans?: PlanNode[];
}

/**
 * Fact tables the plan reads without partnership_id in the scan's own condition or in the condition
 * of the join just above it: a query that would have to visit every shard, or join across shards.
 */
function unfilteredScans(node: PlanNode, joinConditions: string[] = []): string[] {
  const own = [node.Filter, node["Index Cond"], node["Recheck Cond"]].filter(Boolean).join(" ");
  const joins = [node["Hash Cond"], node["Merge Cond"], node["Join Filter"]].filter((c): c is string => Boolean(c));
  const table = node["Relation Name"];
  const found = table && FACTS.includes(table) && !own.includes("partnership_id") && !joinConditions.some((c) => c.includes("partnership_id")) ? [table] : [];
  return [...found, ...(node.Plans ?? []).flatMap((child) => unfilteredScans(child, joins.length ? joins : joinConditions))];
}

describe("every query behind the reports and the dashboard", () => {
  it("reads each fact table by partnership_id (so each runs on the shards of the partnerships asked for)", async () => {
    await loadHandWorkedWorld(ctx.db);
    const statements: Array<{ text: string; params: unknown[] }> = [];
    const client = (ctx.db as unknown as { $client: never }).$client;
    const logger = { logQuery: (text: string, params: unknown[]) => void statements.push({ text, params }) };
    // The same connection, with every statement recorded as the domain functions run it.
    const db = (ctx.warehouse.driver === "pglite" ? drizzlePglite({ client, schema, logger }) : drizzlePostgres({ client, schema, logger })) as unknown as Db;
    const asOf = "2026-01-09";
    const scope = { partnerships: ["north"], quarter: "2025-Q4" as const, asOf };
    await getBoardReport(db, scope);
    await getOverview(db, scope);
    await getBreakdowns(db, { ...scope, from: "2025-Q1" });
    await getDissentQuarters(db, { ...scope, from: "2025-Q1" });
    await getTrends(db, { partnerships: ["north"], quarters: 4, to: "2025-Q4", asOf });
    await getAgencyMatrix(db, scope);
    await getOverdueEscalations(db, { partnerships: ["north"], asOf });
    await getDataQuality(db, { partnerships: ["north"], from: "2025-Q1", to: "2025-Q4" });
    await getAgencyProfile(db, { agency: "CSC", partnerships: ["north"], quarters: 2, to: "2025-Q4", asOf });
    await listEscalationRecords(db, { ...scope, from: "2025-Q1" });

    const reading = statements.filter((s) => new RegExp(`\\b(${FACTS.join("|")})\\b`).test(s.text));
    expect(reading.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const statement of reading) {
      const explain = `explain (format json) ${statement.text}`;
      const result = (ctx.warehouse.driver === "pglite"
        ? ((await (client as { query: (q: string, p: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }> }).query(explain, statement.params)).rows)
        : await (client as { unsafe: (q: string, p: unknown[]) => Promise<Array<Record<string, unknown>>> }).unsafe(explain, statement.params as never[]));
      const plan = (result[0]!["QUERY PLAN"] as Array<{ Plan: PlanNode }>)[0]!.Plan;
      const scans = unfilteredScans(plan);
      if (scans.length) offenders.push(`${scans.join(", ")} in: ${statement.text.replace(/\s+/g, " ").slice(0, 160)}`);
    }
    expect(offenders).toEqual([]);
  });
});
