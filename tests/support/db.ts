/**
 * A fresh, migrated warehouse for one test file, on whichever database the run uses.
 *
 *   const ctx = useTestWarehouse();           // in the file's top level
 *   it("…", async () => { ctx.db … });
 */
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { openWarehouse, type Db, type Warehouse } from "../../db/client";
import { withDatabase } from "./template";

export interface TestWarehouse {
  warehouse: Warehouse;
  db: Db;
  /** On a server: the URL of this file's own database (for child processes such as the CLI). */
  databaseUrl?: string;
}

export async function openTestWarehouse(): Promise<{ test: TestWarehouse; dispose: () => Promise<void> }> {
  const template = inject("warehouseTemplate");
  if (template.driver === "pglite") {
    const warehouse = await openWarehouse({
      loadDataDir: new Blob([fs.readFileSync(template.dumpFile)]),
      migrate: false,
    });
    return { test: { warehouse, db: warehouse.db }, dispose: () => warehouse.close() };
  }
  const name = `ew_t_${template.templateName.replace("ew_tpl_", "")}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(template.databaseUrl, { max: 1, onnotice: () => {} });
  await cloneTemplate(admin, name, template.templateName);
  const databaseUrl = withDatabase(template.databaseUrl, name);
  const warehouse = await openWarehouse({ databaseUrl, migrate: false, maxConnections: 4 });
  return {
    test: { warehouse, db: warehouse.db, databaseUrl },
    dispose: async () => {
      await warehouse.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** CREATE DATABASE … TEMPLATE fails while another clone is reading the template: retry briefly. */
async function cloneTemplate(admin: postgres.Sql, name: string, templateName: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.unsafe(`create database ${name} template ${templateName}`);
      return;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** Opens a fresh warehouse before the file's tests and removes it after them. */
export function useTestWarehouse(): TestWarehouse {
  const holder = {} as TestWarehouse;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const opened = await openTestWarehouse();
    Object.assign(holder, opened.test);
    dispose = opened.dispose;
  });
  afterAll(async () => {
    await dispose?.();
  });
  return holder;
}
