/**
 * The demo generator: deterministic, realistic, and every row it writes obeys the upload rules
 * (IMPORT-FORMAT.md), so the same files can feed the importer.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import {
  DEFAULT_DEMO_OPTIONS,
  generateDemo,
  toCsv,
  type DemoFile,
  type DissentRow,
  type EscalationRow,
} from "../importers/demo/generate";
import { importDemoFiles, writeDemoFiles } from "../importers/demo/files";
import { isValidNhsNumber } from "../importers/pseudonymise";
import { englandAndWalesBankHolidays } from "../server/calendar/bankHolidays";
import { isWeekend } from "../server/calendar/dates";
import { useTestWarehouse } from "./support/db";
import { TEST_HASHER, TEST_UPLOAD_DATE } from "./support/records";
import { demoReference, loadDemoReference } from "./support/reference";

const reference = demoReference();
const files = generateDemo(reference);
const planted = new Set(files.flatMap((f) => f.plantedFaults));
const ofKind = <T>(kind: DemoFile["kind"]) => files.filter((f) => f.kind === kind).flatMap((f) => f.rows as T[]);
const escalations = ofKind<EscalationRow>("escalations");
const dissents = ofKind<DissentRow>("dissent");
const validEscalations = escalations.filter((e) => !planted.has(e.record_ref));
const holidays = new Set(englandAndWalesBankHolidays().map((h) => h.date));
const memberOf = new Map(reference.agencies.map((a) => [a.code, new Set(a.partnerships)]));
const stageDates = (e: EscalationRow) => [e.stage1_on, e.stage2_on, e.stage3_on, e.stage4_on, e.stage5_on];

describe("demo data generator", () => {
  it("gives the same bytes for the same seed, and different data for another seed", () => {
    const again = generateDemo(reference);
    expect(again.map(toCsv)).toEqual(files.map(toCsv));
    const other = generateDemo(reference, { ...DEFAULT_DEMO_OPTIONS, seed: 7 });
    expect(other.map(toCsv)).not.toEqual(files.map(toCsv));
  });

  it("covers all five partnerships over two years, with volumes in proportion", () => {
    const perPartnership = new Map<string, number>();
    for (const e of escalations) perPartnership.set(e.partnership, (perPartnership.get(e.partnership) ?? 0) + 1);
    expect([...perPartnership.keys()].sort()).toEqual(["hampshire", "isle-of-wight", "oxfordshire", "portsmouth", "southampton"]);
    // Hampshire is the largest area, the Isle of Wight the smallest.
    expect(perPartnership.get("hampshire")!).toBeGreaterThan(3 * perPartnership.get("isle-of-wight")!);
    const quarters = new Set(validEscalations.map((e) => `${e.concern_arose_on.slice(0, 4)}-${Math.ceil(Number(e.concern_arose_on.slice(5, 7)) / 3)}`));
    expect(quarters.size).toBe(8);
    expect(dissents.length).toBeGreaterThan(200);
    expect(ofKind("conference_activity")).toHaveLength(5 * 24);
  });

  it("plants a handful of realistic faults, and otherwise writes only rows the upload rules accept", () => {
    expect(planted.size).toBe(6);
    const problems: string[] = [];
    for (const e of validEscalations) {
      const dates = stageDates(e).filter(Boolean);
      if (dates.some((d, i) => d < e.concern_arose_on || (i > 0 && d < dates[i - 1]!))) problems.push(`${e.record_ref}: stage dates out of order`);
      if (e.status === "open" ? e.closed_on !== "" : e.closed_on === "") problems.push(`${e.record_ref}: status ${e.status} with closed_on "${e.closed_on}"`);
      if (e.closed_on && dates.length && e.closed_on < dates.at(-1)!) problems.push(`${e.record_ref}: closed before its last stage`);
      if (e.learning_disseminated_on && (!e.closed_on || e.learning_disseminated_on < e.closed_on)) problems.push(`${e.record_ref}: learning before closure`);
      if (e.raising_agency === e.receiving_agency) problems.push(`${e.record_ref}: raised with itself`);
      for (const a of [e.raising_agency, e.receiving_agency]) if (!memberOf.get(a)?.has(e.partnership)) problems.push(`${e.record_ref}: ${a} not in ${e.partnership}`);
      if (/^\d{3} \d{3} \d{4}$/.test(e.child_ref) && !isValidNhsNumber(e.child_ref.replace(/ /g, ""))) problems.push(`${e.record_ref}: bad NHS number`);
      for (const d of [e.concern_arose_on, ...dates, e.closed_on, e.learning_disseminated_on]) {
        if (d && d > DEFAULT_DEMO_OPTIONS.to) problems.push(`${e.record_ref}: date ${d} after the demo's end`);
      }
    }
    const escalationRefs = new Set(escalations.map((e) => `${e.raising_agency}/${e.record_ref}`));
    for (const d of dissents.filter((d) => !planted.has(d.record_ref))) {
      if (d.chair_followup_on && d.chair_followup_on < d.conference_date) problems.push(`${d.record_ref}: follow-up before conference`);
      if ((d.status === "escalated") !== (d.escalation_ref !== "")) problems.push(`${d.record_ref}: escalated without a reference`);
      if (d.escalation_ref && !escalationRefs.has(`${d.dissenting_agency}/${d.escalation_ref}`)) problems.push(`${d.record_ref}: escalation ${d.escalation_ref} missing`);
    }
    // Every record_ref is unique within its file.
    for (const f of files.filter((f) => f.kind !== "conference_activity")) {
      const refs = (f.rows as Array<{ record_ref: string }>).map((r) => r.record_ref);
      if (new Set(refs).size !== refs.length) problems.push(`${f.fileName}: duplicate record_ref`);
    }
    expect(problems).toEqual([]);
  });

  it("has plausible stages and timescales, weekends and bank holidays crossed", () => {
    const reached = validEscalations.map((e) => Math.max(0, ...stageDates(e).map((d, i) => (d ? i + 1 : 0))));
    const share = (k: number) => reached.filter((r) => r === k).length / reached.length;
    // Most resolve at the lowest levels; few reach the partnership.
    expect(share(1) + share(2)).toBeGreaterThan(0.6);
    expect(share(5)).toBeGreaterThan(0.01);
    expect(share(5)).toBeLessThan(0.08);
    // Some concerns arise on weekends or bank holidays, and some skip stage 1.
    expect(validEscalations.filter((e) => isWeekend(e.concern_arose_on) || holidays.has(e.concern_arose_on)).length).toBeGreaterThan(10);
    expect(escalations.filter((e) => !e.stage1_on && e.stage2_on).length).toBeGreaterThan(5);
    expect(escalations.filter((e) => e.status === "open").length).toBeGreaterThan(10);
    expect(escalations.filter((e) => e.status === "withdrawn").length).toBeGreaterThan(10);
    // A third of rows carry no child reference; a child reference is never a bare name.
    expect(escalations.filter((e) => e.child_ref === "").length / escalations.length).toBeGreaterThan(0.2);
  });

  it("writes CSV with a header row that reads back to the same rows", () => {
    const file = files.find((f) => f.kind === "escalations" && f.style === "canonical")!;
    const parsed = Papa.parse<Record<string, string>>(toCsv(file), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual(file.rows);
  });
});

describe("demo data in the warehouse", () => {
  const ctx = useTestWarehouse();
  let summary: Awaited<ReturnType<typeof importDemoFiles>>;
  beforeAll(async () => {
    await loadDemoReference(ctx.db);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ew-demo-"));
    try {
      writeDemoFiles(dir, files);
      summary = await importDemoFiles(ctx.db, dir, files, { hasher: TEST_HASHER, actor: "test", uploadDate: TEST_UPLOAD_DATE });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("loads through the importer: every row but the planted faults, one batch per file", async () => {
    const total = files.reduce((n, f) => n + f.rows.length, 0);
    expect(summary).toEqual({ files: files.length, rowsRead: total, loaded: total - planted.size, rejected: planted.size });
    const [counts] = await queryRows<{ escalations: number; dissents: number; months: number; batches: number; rejects: number }>(
      ctx.db,
      sql`select (select count(*)::int from escalations) as escalations, (select count(*)::int from dissents) as dissents,
                 (select count(*)::int from conference_activity) as months, (select count(*)::int from import_batches) as batches,
                 (select count(*)::int from import_rejects) as rejects`,
    );
    const plantedIn = (kind: DemoFile["kind"]) => files.filter((f) => f.kind === kind).reduce((n, f) => n + f.plantedFaults.length, 0);
    expect(counts).toEqual({
      escalations: escalations.length - plantedIn("escalations"),
      dissents: dissents.length - plantedIn("dissent"),
      months: 120,
      batches: files.length,
      rejects: planted.size,
    });
  });

  it("keeps child references only as keyed hashes", async () => {
    const [plain] = await queryRows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from escalations where child_ref_hash is not null and child_ref_hash !~ '^[0-9a-f]{64}$'`,
    );
    expect(plain!.n).toBe(0);
    const childRefs = escalations.map((e) => e.child_ref).filter(Boolean).slice(0, 50);
    const [found] = await queryRows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from escalations where child_ref_hash in (${sql.join(childRefs.map((r) => sql`${r}`), sql`, `)})`,
    );
    expect(found!.n).toBe(0);
    const [hashed] = await queryRows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from escalations where child_ref_hash in (${sql.join(childRefs.map((r) => sql`${TEST_HASHER(r)}`), sql`, `)})`,
    );
    expect(hashed!.n).toBeGreaterThan(40);
  });
});
