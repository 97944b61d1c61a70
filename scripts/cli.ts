/**
 * The command line: every job the pages do with data, against the same database choice
 * (DATABASE_URL, or the embedded data folder DATA_DIR, default ./.data).
 *
 *   npm run cli -- config load FILE
 *
 * It never loads demo data by itself.
 */
import fs from "node:fs";
import os from "node:os";
import { closeWarehouse, getWarehouse } from "../db/client";
import { writeAudit } from "../server/audit";
import { loadReferenceData, parseReferenceDataJson, ReferenceDataError } from "../server/reference/config";

const USAGE = `Usage: npm run cli -- <command>

Commands:
  config load FILE     load partnerships, procedures, agencies and closure days from a JSON file
                       (idempotent: codes are the identity; imported records are not touched)
`;

/** A problem the user can fix: printed without a stack trace, exit code 1. */
class UsageError extends Error {}

function actor(): string {
  return `cli:${os.userInfo().username}`;
}

async function configLoad(args: string[]): Promise<void> {
  const [file, ...rest] = args;
  if (!file || rest.length) throw new UsageError(`config load takes one file name.\n\n${USAGE}`);
  let content: string;
  try {
    content = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  const warehouse = await getWarehouse();
  let data;
  try {
    data = parseReferenceDataJson(content);
  } catch (error) {
    if (error instanceof ReferenceDataError) {
      await writeAudit(warehouse.db, {
        actor: actor(),
        action: "reference_data.load",
        details: { file, problems: error.problems },
        outcome: "refused",
      });
    }
    throw error;
  }
  const summary = await loadReferenceData(warehouse.db, data, actor());
  console.log(
    `Loaded reference data from ${file} into ${warehouse.location}: ` +
      `${summary.partnerships} partnership(s), ${summary.procedures} procedure(s), ${summary.agencies} agency(ies) ` +
      `with ${summary.aliases} alias(es), ${summary.closureDays} closure day(s), ${summary.partnershipThemes} partnership theme(s).`,
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    console.log(USAGE);
    return;
  }
  if (command === "config" && sub === "load") return configLoad(rest);
  throw new UsageError(`Unknown command: ${[command, sub].filter(Boolean).join(" ")}\n\n${USAGE}`);
}

main(process.argv.slice(2))
  .then(() => closeWarehouse())
  .catch(async (error: unknown) => {
    await closeWarehouse().catch(() => {});
    if (error instanceof UsageError || error instanceof ReferenceDataError) {
      console.error(error.message);
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  });
