/**
 * The demo's first step (README quick start): migrate the embedded database and, only when it is the
 * default data folder and empty, load the demo reference data and the demo records.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count } from "drizzle-orm";
import { dataDirectory, openWarehouse } from "../db/client";
import { partnerships } from "../db/schema";
import { DEFAULT_DEMO_OPTIONS, generateDemo } from "../importers/demo/generate";
import { importDemoFiles, writeDemoFiles } from "../importers/demo/files";
import { deploymentHasher } from "../importers/pseudonymise";
import { createAuth } from "../server/access/auth";
import { addUser, type UserSpec } from "../server/access/users";
import { loadReferenceData, parseReferenceDataJson } from "../server/reference/config";

/** One demo user per role, so each view can be tried. */
const DEMO_USERS: UserSpec[] = [
  { email: "admin@demo.example", name: "Demo business manager", role: "admin", scope: "all" },
  { email: "board@demo.example", name: "Demo board member (HIPS)", role: "board", scope: "hampshire,isle-of-wight,portsmouth,southampton" },
  { email: "scrutineer@demo.example", name: "Demo independent scrutineer", role: "scrutineer", scope: "all" },
  { email: "lead@demo.example", name: "Demo safeguarding lead (Hampshire and Isle of Wight Constabulary)", role: "agency_lead", scope: "HIOWC" },
  { email: "uploader@demo.example", name: "Demo uploader (Hampshire Children's Services)", role: "uploader", scope: "HCC-CS" },
];

const REFERENCE_FILE = path.join(process.cwd(), "db", "reference", "demo.json");
const UPLOADS_DIR = path.join(process.cwd(), "demo-uploads");

async function main(): Promise<void> {
  if (process.env.DATABASE_URL) {
    console.log("DATABASE_URL is set: the demo data is only ever loaded into the embedded database, so nothing is loaded.");
    return;
  }
  const dataDir = dataDirectory();
  const isDefault = dataDir === path.join(process.cwd(), ".data");
  const warehouse = await openWarehouse({ dataDir });
  try {
    const [{ n } = { n: 0 }] = await warehouse.db.select({ n: count() }).from(partnerships);
    if (n > 0 || !isDefault) {
      console.log(
        n > 0
          ? `The embedded database in ${dataDir} already holds data; the demo is not loaded again.`
          : `DATA_DIR names ${dataDir}: demo data is only loaded into the default data folder, so nothing is loaded.`,
      );
      return;
    }
    const actor = `demo:${os.userInfo().username}`;
    const reference = parseReferenceDataJson(fs.readFileSync(REFERENCE_FILE, "utf8"));
    await loadReferenceData(warehouse.db, reference, actor);
    const files = generateDemo(reference, DEFAULT_DEMO_OPTIONS);
    writeDemoFiles(UPLOADS_DIR, files);
    const hasher = deploymentHasher();
    const summary = await importDemoFiles(warehouse.db, UPLOADS_DIR, files, { hasher, actor });
    const auth = createAuth(warehouse.db);
    const logins: string[] = [];
    for (const user of DEMO_USERS) {
      const { generatedPassword } = await addUser(warehouse.db, auth, user, actor);
      logins.push(`  ${user.role.padEnd(12)} ${user.email.padEnd(26)} ${generatedPassword}`);
    }
    console.log(`\nDemo sign-ins (shown once; keep them, or reset with npm run cli -- users reset --email …):\n${logins.join("\n")}\n`);
    console.log(
      `Loaded the demo into ${dataDir}: ${reference.partnerships.length} partnerships; ${summary.files} agency files uploaded ` +
        `through the importer from ${path.relative(process.cwd(), UPLOADS_DIR)}/: ${summary.loaded} rows loaded, ` +
        `${summary.rejected} rejected (deliberate faults, to show on the uploads page).`,
    );
  } finally {
    await warehouse.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
