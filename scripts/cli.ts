/**
 * The command line: every job the pages do with data, against the same database choice
 * (DATABASE_URL, or the embedded data folder DATA_DIR, default ./.data).
 *
 *   npm run cli -- config load FILE
 *   npm run cli -- config export [--out FILE]
 *
 * It never loads demo data by itself.
 */
import { z } from "zod";
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { closeWarehouse, dataDirectory, getWarehouse } from "../db/client";
import { BackupError, backupEmbedded, restoreEmbedded } from "../db/backup";
import { getBatch, getRejects, listBatches, undoBatch } from "../importers/batches";
import { UPLOAD_KINDS, type UploadKind } from "../importers/formats";
import { FileRefusedError, importFile } from "../importers/importFile";
import { deploymentHasher } from "../importers/pseudonymise";
import type { RejectFault } from "../db/schema";
import { writeAudit } from "../server/audit";
import { InvalidRequestError, NotFoundError } from "../server/errors";
import { getBoardReportFor } from "../reports/boardReport";
import { getBoardDocument } from "../reports/boardDocument";
import { boardDocumentHtml } from "../reports/html";
import { boardDocumentPdf } from "../reports/pdf";
import { boardDocumentDocx } from "../reports/docx";
import { closeSharedChromium } from "../reports/chromium";
import { createEvidenceReturn, EVIDENCE_PROMPTS, getEvidenceDocument } from "../reports/evidence";
import { createAuth } from "../server/access/auth";
import type { Principal, Role } from "../server/access/permissions";
import { addUser, disableUser, resetPassword } from "../server/access/users";
import { isoDateSchema } from "../server/calendar/dates";
import { quarterSchema } from "../server/calendar/quarters";
import { loadReferenceData, parseReferenceDataJson, ReferenceDataError } from "../server/reference/config";
import { exportReferenceData } from "../server/reference/configExport";

const USAGE = `Usage: npm run cli -- <command>

Commands:
  config load FILE     load partnerships, procedure versions, agencies and closure days from a JSON file
                       (idempotent: codes are the identity; imported records are not touched). Refused
                       as a whole when loaded escalations would have a stage beyond their version's stages
  config export [--out FILE]
                       write the reference data the warehouse holds, in the shape config load takes
                       (to the terminal unless --out names a file); loading it back changes nothing
  import FILE --kind escalations|dissent|conference_activity --agency CODE [--dry-run] [--progress]
                       import one agency's CSV file; prints what was loaded, replaced, unchanged and
                       rejected, and every reject (row, column, value, reason). --dry-run saves nothing;
                       --progress prints the rows read so far every 5,000 rows (on stderr).
  imports list [--agency CODE]
                       list upload batches, newest first
  imports rejects BATCH_ID
                       print a batch's rejects
  imports undo BATCH_ID
                       undo a batch: remove the rows it created, restore the versions it replaced
  users add --email EMAIL --role admin|board|scrutineer|agency_lead|uploader --scope SCOPE [--name NAME] [--password-stdin]
                       add a user, or a role to a user; SCOPE is partnership codes (comma-separated) or all
                       for admin, board and scrutineer, an agency code for agency_lead and uploader. Without
                       --password-stdin a password is generated and printed once. A user who already
                       has an account keeps their password (use users reset to change it).
  users disable --email EMAIL      stop a user signing in and end their sessions
  users reset --email EMAIL [--password-stdin]   set a new password (generated unless given)
  report board --partnership CODE[,CODE…] --quarter YYYY-Qn [--as-of YYYY-MM-DD] [--published | --exact]
               [--profile dfe|nhs] [--format json|html|pdf|docx] [--out FILE]
                       the quarterly board report: json gives the figures (METRICS.md), exact unless
                       --published; html, pdf and docx give the document, published (disclosure-controlled)
                       unless --exact, which marks every page "not for publication"
  backup FILE          the embedded database (DATA_DIR, default ./.data) as one archive; stop the dashboard first
  restore FILE         a backup into an empty data folder (never over a database); on a server use pg_dump/pg_restore
  report evidence --agency CODE --from YYYY-Qn --to YYYY-Qn [--as-of YYYY-MM-DD] [--answers FILE.json]
                  [--format pdf|docx|html] --out FILE
                       an agency's Section 11 (or, for schools and colleges, Section 175/157) evidence
                       return: stores it with the answers (awareness, training, feedback) and writes it
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
  let summary;
  try {
    summary = await loadReferenceData(warehouse.db, data, actor());
  } catch (error) {
    // Refused after reading (records beyond their version, an alias held elsewhere): rolled back, then audited on its own.
    if (error instanceof ReferenceDataError) {
      await writeAudit(warehouse.db, { actor: actor(), action: "reference_data.load", details: { file, problems: error.problems }, outcome: "refused" });
    }
    throw error;
  }
  console.log(
    `Loaded reference data from ${file} into ${warehouse.location}: ` +
      `${summary.partnerships} partnership(s), ${summary.procedures} procedure version(s), ${summary.agencies} agency(ies) ` +
      `with ${summary.aliases} alias(es), ${summary.closureDays} closure day(s), ${summary.partnershipThemes} partnership theme(s).`,
  );
}

async function configExport(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: "string" } } });
  if (positionals.length) throw new UsageError(`config export takes no file name of its own; write to one with --out FILE.\n\n${USAGE}`);
  const warehouse = await getWarehouse();
  const exported = await exportReferenceData(warehouse.db);
  if (values.out) {
    try {
      fs.writeFileSync(values.out, exported.text);
    } catch (error) {
      throw new UsageError(`Cannot write ${values.out}: ${(error as Error).message}`);
    }
  } else process.stdout.write(exported.text);
  await writeAudit(warehouse.db, {
    actor: actor(),
    action: "reference_data.export",
    details: { out: values.out ?? "terminal", partnerships: exported.partnerships, procedureVersions: exported.procedureVersions, agencies: exported.agencies },
    outcome: "success",
  });
  // On stderr, so that an export to the terminal stays a clean file.
  for (const warning of exported.warnings) console.error(`Note: ${warning}`);
  if (values.out) {
    console.log(
      `Wrote the reference data of ${warehouse.location} to ${values.out}: ${exported.partnerships} partnership(s), ` +
        `${exported.procedureVersions} procedure version(s), ${exported.agencies} agency(ies).`,
    );
  }
}

const n = (value: number) => value.toLocaleString("en-GB");

function printRejects(rejects: Array<{ rowNumber: number; faults: RejectFault[] }>): void {
  if (!rejects.length) return;
  console.log("Rejects (row, column, value, reason):");
  for (const reject of rejects) {
    for (const fault of reject.faults) {
      console.log(`  row ${reject.rowNumber}, ${fault.column}, ${JSON.stringify(fault.value)}: ${fault.reason}`);
    }
  }
}

async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { kind: { type: "string" }, agency: { type: "string" }, "dry-run": { type: "boolean", default: false }, progress: { type: "boolean", default: false } },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError(`import takes one file name.\n\n${USAGE}`);
  if (!values.kind || !(UPLOAD_KINDS as readonly string[]).includes(values.kind)) {
    throw new UsageError(`--kind must be one of ${UPLOAD_KINDS.join(", ")}${values.kind ? `, not "${values.kind}"` : ""}.`);
  }
  if (!values.agency) throw new UsageError("--agency CODE is required: the agency whose log this is.");
  if (!fs.existsSync(file)) throw new UsageError(`Cannot read ${file}: no such file`);
  const { db } = await getWarehouse();
  const result = await importFile(db, {
    filePath: file,
    fileName: file.split(/[\\/]/).pop()!,
    kind: values.kind as UploadKind,
    agency: values.agency,
    actor: actor(),
    hasher: deploymentHasher(),
    dryRun: values["dry-run"],
    // Long files: say how far the upload has got (on stderr, so the summary on stdout stays clean).
    onProgress: values.progress ? (rows) => void process.stderr.write(`${n(rows)} rows read…\n`) : undefined,
  });
  if (result.outcome === "already_loaded") {
    console.log(result.message);
    return;
  }
  const { counts } = result;
  console.log(
    `${result.dryRun ? "Dry run (nothing was saved)" : `Imported as batch ${result.batchId}`}: ${file} for ${values.agency}, ${n(result.rowsRead)} row(s) read: ` +
      `${n(counts.loaded)} loaded, ${n(counts.replaced)} replaced, ${n(counts.unchanged)} unchanged, ${n(counts.rejected)} rejected.`,
  );
  for (const note of result.notes) console.log(`Note: ${note}`);
  printRejects(result.rejects);
}

async function importsCommand(sub: string | undefined, args: string[]): Promise<void> {
  const { db } = await getWarehouse();
  if (sub === "list") {
    const { values } = parseArgs({ args, options: { agency: { type: "string" } } });
    const batches = await listBatches(db, { agency: values.agency, limit: 1000 });
    if (!batches.length) {
      console.log("No uploads yet.");
      return;
    }
    console.log("batch  uploaded          agency      kind                 status    read  loaded  replaced  unchanged  rejected  file");
    for (const b of batches) {
      console.log(
        [
          String(b.id).padEnd(6), b.uploadedAt.toISOString().slice(0, 16).replace("T", " ").padEnd(17), (b.agency ?? "").padEnd(11),
          b.kind.padEnd(20), b.status.padEnd(9), String(b.rowsRead).padStart(5), String(b.loaded).padStart(7), String(b.replaced).padStart(9),
          String(b.unchanged).padStart(10), String(b.rejected).padStart(9), ` ${b.fileName}`,
        ].join(" "),
      );
    }
    return;
  }
  const id = Number(args[0]);
  if ((sub === "undo" || sub === "rejects") && (!Number.isInteger(id) || id <= 0 || args.length !== 1)) {
    throw new UsageError(`imports ${sub} takes one batch number (see imports list).`);
  }
  if (sub === "undo") {
    const undone = await undoBatch(db, id, actor());
    console.log(`Batch ${id} undone: ${n(undone.removed)} row(s) it created removed, ${n(undone.restored)} earlier version(s) restored.`);
    return;
  }
  if (sub === "rejects") {
    const batch = await getBatch(db, id);
    console.log(`Batch ${id} (${batch.fileName}): ${n(batch.rejected)} reject(s).`);
    printRejects(await getRejects(db, id));
    return;
  }
  throw new UsageError(`Unknown command: imports ${sub ?? ""}\n\n${USAGE}`);
}

async function reportCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub === "evidence") return evidenceCommand(args);
  if (sub !== "board") throw new UsageError(`Unknown command: report ${sub ?? ""}\n\n${USAGE}`);
  const { values } = parseArgs({
    args,
    options: {
      partnership: { type: "string" },
      quarter: { type: "string" },
      "as-of": { type: "string" },
      published: { type: "boolean", default: false },
      exact: { type: "boolean", default: false },
      profile: { type: "string" },
      format: { type: "string", default: "json" },
      out: { type: "string" },
    },
  });
  if (!values.partnership) throw new UsageError("--partnership CODE is required (several may be joined with commas).");
  const quarter = quarterSchema.safeParse(values.quarter);
  if (!quarter.success) throw new UsageError(`--quarter ${quarter.error.issues[0]!.message}${values.quarter ? `, not "${values.quarter}"` : ""}.`);
  const asOf = values["as-of"] === undefined ? undefined : isoDateSchema.safeParse(values["as-of"]);
  if (asOf && !asOf.success) throw new UsageError(`--as-of ${asOf.error.issues[0]!.message}, not "${values["as-of"]}".`);
  if (values.profile && !["dfe", "nhs"].includes(values.profile)) throw new UsageError(`--profile must be dfe or nhs, not "${values.profile}".`);
  if (!["json", "html", "pdf", "docx"].includes(values.format!)) throw new UsageError(`--format must be json, html, pdf or docx, not "${values.format}".`);
  if ((values.format === "pdf" || values.format === "docx") && !values.out) throw new UsageError(`--format ${values.format} needs --out FILE (it is not printed to the terminal).`);
  const { db } = await getWarehouse();
  const request = {
    partnerships: values.partnership.split(",").map((p) => p.trim()).filter(Boolean),
    quarter: quarter.data,
    asOf: asOf?.data,
    profile: values.profile as "dfe" | "nhs" | undefined,
  };
  let output: string | Uint8Array;
  let described: string;
  if (values.format === "json") {
    const report = await getBoardReportFor(db, { ...request, published: values.published });
    output = `${JSON.stringify(report, null, 2)}\n`;
    described = `the board report for ${report.partnership}, ${report.quarter} as of ${report.asOf}`;
  } else {
    // Documents are published (disclosure-controlled) unless --exact asks for exact figures; JSON is exact unless --published.
    const document = await getBoardDocument(db, { ...request, published: !values.exact });
    if (values.format === "html") output = boardDocumentHtml(document);
    else {
      try {
        output = values.format === "pdf" ? await boardDocumentPdf(document) : await boardDocumentDocx(document);
      } finally {
        await closeSharedChromium();
      }
    }
    described = `the ${document.published ? "published" : "exact (not for publication)"} board report for ${document.partnerships.join(", ")}, ${document.quarterLabel} as of ${document.asOf}`;
  }
  if (values.out) {
    fs.writeFileSync(values.out, output);
    console.log(`Wrote ${described} to ${values.out}.`);
  } else process.stdout.write(output);
}

async function backupCommand(command: "backup" | "restore", args: string[]): Promise<void> {
  const [file, ...rest] = args;
  if (!file || rest.length) throw new UsageError(`${command} takes one file name.\n\n${USAGE}`);
  if (process.env.DATABASE_URL) {
    throw new UsageError(
      command === "backup"
        ? "On a PostgreSQL server, back up with pg_dump: pg_dump -Fc \"$DATABASE_URL\" -f FILE (see the README)."
        : "On a PostgreSQL server, restore with pg_restore: pg_restore --clean --if-exists -d \"$DATABASE_URL\" FILE (see the README).",
    );
  }
  try {
    if (command === "backup") {
      const bytes = await backupEmbedded(dataDirectory(), file, actor());
      console.log(`Backed up the embedded database in ${dataDirectory()} to ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB).`);
    } else {
      const { escalations } = await restoreEmbedded(file, dataDirectory(), actor());
      console.log(`Restored ${file} into ${dataDirectory()}: ${escalations.toLocaleString("en-GB")} escalations.`);
    }
  } catch (error) {
    if (error instanceof BackupError) throw new UsageError(error.message);
    throw error;
  }
}

/** Whoever runs the command line holds the warehouse itself: an admin over every partnership. */
function operator(): Principal {
  return { userId: actor(), email: actor(), name: actor(), grants: [{ role: "admin", partnerships: "all", agency: null }] };
}

async function evidenceCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      agency: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      "as-of": { type: "string" },
      answers: { type: "string" },
      format: { type: "string", default: "pdf" },
      out: { type: "string" },
    },
  });
  if (!values.agency) throw new UsageError("--agency CODE is required.");
  const from = quarterSchema.safeParse(values.from);
  const to = quarterSchema.safeParse(values.to);
  if (!from.success) throw new UsageError(`--from ${from.error.issues[0]!.message}${values.from ? `, not "${values.from}"` : ""}.`);
  if (!to.success) throw new UsageError(`--to ${to.error.issues[0]!.message}${values.to ? `, not "${values.to}"` : ""}.`);
  const asOf = values["as-of"] === undefined ? undefined : isoDateSchema.safeParse(values["as-of"]);
  if (asOf && !asOf.success) throw new UsageError(`--as-of ${asOf.error.issues[0]!.message}, not "${values["as-of"]}".`);
  if (!["html", "pdf", "docx"].includes(values.format!)) throw new UsageError(`--format must be html, pdf or docx, not "${values.format}".`);
  if (!values.out) throw new UsageError("--out FILE is required.");
  let answers: Record<string, string> = {};
  if (values.answers) {
    const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(fs.readFileSync(values.answers, "utf8")));
    if (!parsed.success) throw new UsageError(`--answers must be a JSON object of text answers (keys: ${EVIDENCE_PROMPTS.map((p) => p.key).join(", ")}).`);
    answers = parsed.data;
  }
  const { db } = await getWarehouse();
  const made = await createEvidenceReturn(db, operator(), { agency: values.agency, from: from.data, to: to.data, asOf: asOf?.data, answers });
  const document = await getEvidenceDocument(db, operator(), made.id);
  let output: string | Uint8Array;
  if (values.format === "html") output = boardDocumentHtml(document);
  else {
    try {
      output = values.format === "pdf" ? await boardDocumentPdf(document) : await boardDocumentDocx(document);
    } finally {
      await closeSharedChromium();
    }
  }
  fs.writeFileSync(values.out, output);
  console.log(`Stored evidence return ${made.id} (${made.standard === "s175" ? "Section 175/157" : "Section 11"}) for ${made.agency}, ${made.from} to ${made.to}, and wrote it to ${values.out}.`);
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, "");
}

async function usersCommand(sub: string | undefined, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: "string" }, role: { type: "string" }, scope: { type: "string" }, name: { type: "string" }, "password-stdin": { type: "boolean", default: false } },
  });
  if (!values.email) throw new UsageError(`users ${sub ?? ""} needs --email.`);
  const { db } = await getWarehouse();
  const password = values["password-stdin"] ? await readStdin() : undefined;
  if (sub === "add") {
    if (!values.role || !values.scope) throw new UsageError("users add needs --role and --scope.");
    const { created, generatedPassword } = await addUser(db, createAuth(db), { email: values.email, role: values.role as Role, scope: values.scope, name: values.name }, actor(), password);
    console.log(`User ${values.email.toLowerCase()} now holds the ${values.role} role for ${values.scope}.`);
    if (!created) {
      // Adding a role never changes an existing account's password: a reset does, on purpose.
      console.log(
        `The account already existed: role added; the password is unchanged${password !== undefined ? " (the password given was not used)" : ""}. ` +
          `To set a new one: users reset --email ${values.email.toLowerCase()}`,
      );
    } else if (generatedPassword) console.log(`Password (shown once): ${generatedPassword}`);
    return;
  }
  if (sub === "disable") {
    await disableUser(db, values.email, actor());
    console.log(`User ${values.email} is disabled and signed out everywhere.`);
    return;
  }
  if (sub === "reset") {
    const generated = await resetPassword(db, createAuth(db), values.email, actor(), password);
    console.log(`User ${values.email} has a new password${generated ? ` (shown once): ${generated}` : "."}`);
    return;
  }
  throw new UsageError(`Unknown command: users ${sub ?? ""}\n\n${USAGE}`);
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    console.log(USAGE);
    return;
  }
  if (command === "config" && sub === "load") return configLoad(rest);
  if (command === "config" && sub === "export") return configExport(rest);
  if (command === "import") return importCommand(argv.slice(1));
  if (command === "imports") return importsCommand(sub, rest);
  if (command === "report") return reportCommand(sub, rest);
  if (command === "backup" || command === "restore") return backupCommand(command, argv.slice(1));
  if (command === "users") return usersCommand(sub, rest);
  throw new UsageError(`Unknown command: ${[command, sub].filter(Boolean).join(" ")}\n\n${USAGE}`);
}

main(process.argv.slice(2))
  .then(() => closeWarehouse())
  .catch(async (error: unknown) => {
    await closeWarehouse().catch(() => {});
    if (
      error instanceof UsageError ||
      error instanceof ReferenceDataError ||
      error instanceof FileRefusedError ||
      error instanceof InvalidRequestError ||
      error instanceof NotFoundError
    ) {
      console.error(error.message);
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  });
