/**
 * The same drizzle-kit migrations build the warehouse on both drivers: applied to an empty database
 * they create every table, applying them again changes nothing, and the audit log refuses changes.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { MIGRATIONS_FOLDER, openWarehouse, queryRows, type Warehouse } from "../db/client";
import { auditLog } from "../db/schema";
import { withDatabase } from "./support/template";

const EXPECTED_TABLES = [
  "agencies", "agency_aliases", "agency_partnerships", "audit_log", "auth_accounts", "auth_rate_limits", "auth_sessions", "auth_users",
  "auth_verifications", "bank_holidays", "calendar_days", "closure_days",
  "conference_activity", "conference_activity_versions", "dissent_versions", "dissents", "escalation_versions",
  "escalations", "evidence_returns", "import_batches", "import_rejects", "issued_reports", "partnerships", "procedure_version_stages", "procedure_versions", "scrutiny_findings", "scrutiny_samples", "themes", "user_roles",
];

/** An empty database, migrated by openWarehouse itself (not cloned from the template). */
async function withFreshWarehouse(run: (w: Warehouse) => Promise<void>): Promise<void> {
  const template = inject("warehouseTemplate");
  if (template.driver === "pglite") {
    const warehouse = await openWarehouse({});
    try {
      await run(warehouse);
    } finally {
      await warehouse.close();
    }
    return;
  }
  const name = `ew_t_${process.pid}_migrations_${Date.now()}`;
  const admin = postgres(template.databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const warehouse = await openWarehouse({ databaseUrl: withDatabase(template.databaseUrl, name) });
  try {
    await run(warehouse);
  } finally {
    await warehouse.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

// drizzle wraps the database's error; the database's own message is the cause.
const refusedAsAppendOnly = { cause: { message: expect.stringMatching(/the audit log is append-only/) } };

describe(`migrations on ${inject("warehouseTemplate").driver}`, () => {
  it("create every table of the warehouse, and running them again is a no-op", async () => {
    await withFreshWarehouse(async (warehouse) => {
      const tables = await queryRows<{ table_name: string }>(
        warehouse.db,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(EXPECTED_TABLES);

      const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
      const applied = await queryRows<{ n: number }>(warehouse.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(applied[0]!.n).toBe(journal.entries.length);

      // Migrating again applies nothing new and keeps the tables.
      await warehouse.migrate();
      const again = await queryRows<{ n: number }>(warehouse.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(again[0]!.n).toBe(journal.entries.length);
    });
  });

  it("make the audit log append-only: updates, deletes and truncation are refused", async () => {
    await withFreshWarehouse(async ({ db }) => {
      await db.insert(auditLog).values({ actor: "test", action: "test.action", outcome: "success" });
      await expect(db.execute(sql`update audit_log set actor = 'someone else'`)).rejects.toMatchObject(refusedAsAppendOnly);
      await expect(db.execute(sql`delete from audit_log`)).rejects.toMatchObject(refusedAsAppendOnly);
      await expect(db.execute(sql`truncate audit_log`)).rejects.toMatchObject(refusedAsAppendOnly);
      const rows = await db.select().from(auditLog);
      expect(rows.map((r) => r.actor)).toEqual(["test"]);
    });
  });
});
