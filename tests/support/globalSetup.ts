/**
 * Builds one migrated template database for the whole run, so each test file gets a fresh copy
 * cheaply: on PGlite a data-folder dump that each file loads; on a Postgres server (DATABASE_URL) a
 * template database each file clones with CREATE DATABASE … TEMPLATE.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openWarehouse } from "../../db/client";
import { ensureBuild } from "./app";
import { assertLocalDatabaseUrl, withDatabase, type TemplateInfo } from "./template";

declare module "vitest" {
  export interface ProvidedContext {
    warehouseTemplate: TemplateInfo;
  }
}

export default async function setup(project: TestProject) {
  // Browser tests serve the production build: make sure it is current before any file starts (unless
  // the run names its files and none of them is a browser test).
  const named = process.argv.filter((a) => /\.test\.ts$/.test(a) && fs.existsSync(a));
  if (named.length === 0 || named.some((a) => /support\/(app|browser)"/.test(fs.readFileSync(a, "utf8")))) ensureBuild();
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    assertLocalDatabaseUrl(databaseUrl);
    const templateName = `ew_tpl_${process.pid}`;
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${templateName}`);
    await admin.unsafe(`create database ${templateName}`);
    const warehouse = await openWarehouse({ databaseUrl: withDatabase(databaseUrl, templateName) });
    await warehouse.close();
    project.provide("warehouseTemplate", { driver: "postgres", databaseUrl, templateName });
    return async () => {
      // Drop the template and any copy a crashed file left behind.
      const leftovers = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`ew_t_${process.pid}_%`} or datname = ${templateName}`;
      for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
      await admin.end({ timeout: 5 });
    };
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ew-template-"));
  const dumpFile = path.join(dir, "warehouse.tar");
  const warehouse = await openWarehouse({});
  const client = (warehouse.db as unknown as { $client: { dumpDataDir(c: "none"): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir("none");
  fs.writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  await warehouse.close();
  project.provide("warehouseTemplate", { driver: "pglite", dumpFile });
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
