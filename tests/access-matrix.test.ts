/**
 * Every tRPC procedure × every role (and signed out), against server/access/accessTable.ts.
 * A new procedure without a row, or without a declared permission, fails here.
 */
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSharedChromium } from "../reports/chromium";
import { issueBoardReport } from "../reports/issuing";
import { drawScrutinySample } from "../server/scrutiny/samples";
import { queryRows } from "../db/client";
import { ACCESS_TABLE, type Who } from "../server/access/accessTable";
import { createAuth } from "../server/access/auth";
import { addUser } from "../server/access/users";
import type { Principal } from "../server/access/permissions";
import { appRouter, createCaller } from "../wiring/trpc/router";
import { useTestWarehouse } from "./support/db";
import { escalationRow, importText, loadEscalations } from "./support/records";
import { TEST_ADMIN } from "./support/principals";
import { loadSmallWorld } from "./support/reference";
import { saveVersion } from "../server/reference/manage/versions";

const ctx = useTestWarehouse();
const person = (who: string, grants: Principal["grants"]): Principal => ({ userId: who, email: `${who}@north.example`, name: who, grants });
const PEOPLE: Record<Exclude<Who, "signed_out">, Principal> = {
  admin: person("admin", [{ role: "admin", partnerships: ["north"], agency: null }]),
  board: person("board", [{ role: "board", partnerships: ["north"], agency: null }]),
  scrutineer: person("scrutineer", [{ role: "scrutineer", partnerships: ["north"], agency: null }]),
  agency_lead: person("lead", [{ role: "agency_lead", partnerships: [], agency: "CSC" }]),
  uploader: person("uploader", [{ role: "uploader", partnerships: [], agency: "CSC" }]),
};
let batches: number[] = [];
let escalationId = 0;
let issuedId = 0;
let sampleId = 0;
/** South's things (and SCH's, a south-only agency): every role here is scoped to north or CSC. */
const south = { sample: 0, escalation: 0, issued: 0, batch: 0 };

/** North's settings and its one procedure version, as tests/support/reference.ts loads them. */
const NORTH_SETTINGS = {
  code: "north", name: "North Safeguarding Children Partnership", quarterLabels: "calendar", disclosureProfile: "dfe",
  chairFollowUpLimitWorkingDays: 5, closureDays: ["2025-12-25", "2025-12-27", "2025-12-29"], targets: {},
};
const SMALL_VERSION = {
  effectiveFrom: "2015-01-01", name: "Small procedure", stageWord: "stage", learningWithinMonths: 1, totalLimitWorkingDays: null,
  stages: ["Practitioners", "Managers", "Partnership"].map((name, i) => ({ number: i + 1, name, level: null, limitDays: 2, limitUnit: "working" as const })),
} as const;

/** A valid input for each procedure, touching north or CSC. */
function sampleInput(path: string, who: Who): unknown {
  const inputs: Record<string, unknown> = {
    "uploads.batches": { agency: "CSC" },
    "uploads.undo": { batchId: batches[["admin", "uploader"].indexOf(who) + 1] ?? batches[0] },
    "metrics.trends": { partnerships: ["north"], quarters: 2, asOf: "2026-01-15" },
    "metrics.overview": { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-15" },
    "metrics.breakdowns": { partnerships: ["north"], from: "2025-Q3", to: "2025-Q4", asOf: "2026-01-15" },
    "metrics.dissent": { partnerships: ["north"], from: "2025-Q3", to: "2025-Q4", asOf: "2026-01-15" },
    "agencies.profile": { agency: "CSC", quarters: 2, asOf: "2026-01-15" },
    "evidence.returns": { agency: "CSC" },
    "scrutiny.samples": undefined,
    "scrutiny.sample": { id: sampleId },
    "scrutiny.draw": { partnerships: ["north"], from: "2025-Q4", to: "2025-Q4", size: 1, seed: 7 },
    "scrutiny.finding": { sampleId, position: 1, rating: "good", note: "" },
    "records.first": { partnerships: ["north"], from: "2025-Q4", to: "2025-Q4", asOf: "2026-01-15" },
    "records.get": { partnership: "north", id: escalationId, asOf: "2026-01-15" },
    "metrics.agencyMatrix": { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-15" },
    "metrics.overdue": { partnerships: ["north"], asOf: "2026-01-15" },
    "metrics.dataQuality": { partnerships: ["north"], from: "2025-Q4", to: "2025-Q4" },
    "reports.board": { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-15" },
    "reports.issue": { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-15" },
    "reports.issued": undefined,
    "reports.issuedReport": { id: issuedId },
    "audit.list": { outcome: "refused" },
    "users.list": undefined,
    "users.add": { email: `new-${who}@north.example`, role: "board", scope: "north" },
    "users.disable": { email: "target@north.example" },
    "users.reset": { email: "target@north.example" },
    // North as it already stands (saving it changes nothing), and the version added for deleting in beforeAll.
    "reference.savePartnership": NORTH_SETTINGS,
    "reference.previewVersion": { partnership: "north", version: SMALL_VERSION, replaces: "2015-01-01", asOf: "2026-01-15" },
    "reference.saveVersion": { partnership: "north", version: SMALL_VERSION, replaces: "2015-01-01" },
    "reference.deleteVersion": { partnership: "north", effectiveFrom: "2030-01-01" },
    "reference.saveAgency": { code: "CSC", name: "North Children's Social Care", sector: "social_care", aliases: [], partnerships: ["north"] },
    "reference.saveThemes": { partnership: "north", themes: [] },
    "reference.saveBankHolidays": { add: [], remove: [] },
  };
  return inputs[path];
}

/** The same procedures on south's things or SCH's: refused to every role (partnership and agency parameters, and ids). */
function crossScopeInput(path: string): unknown {
  const southFilters = { partnerships: ["south"], from: "2025-Q3", to: "2025-Q4", asOf: "2026-01-15" };
  const inputs: Record<string, unknown> = {
    "agencies.profile": { agency: "SCH", quarters: 2, asOf: "2026-01-15" },
    "evidence.returns": { agency: "SCH" },
    "scrutiny.sample": { id: south.sample },
    "scrutiny.draw": { partnerships: ["south"], from: "2025-Q4", to: "2025-Q4", size: 1, seed: 7 },
    "scrutiny.finding": { sampleId: south.sample, position: 1, rating: "good", note: "" },
    "records.first": southFilters,
    "records.get": { partnership: "south", id: south.escalation, asOf: "2026-01-15" },
    // North's partnership with another partnership's escalation id: as missing.
    "uploads.batches": { agency: "SCH" },
    "uploads.undo": { batchId: south.batch },
    "metrics.trends": { partnerships: ["south"], quarters: 2, asOf: "2026-01-15" },
    "metrics.overview": { partnerships: ["north", "south"], quarter: "2025-Q4", asOf: "2026-01-15" },
    "metrics.breakdowns": southFilters,
    "metrics.dissent": southFilters,
    "metrics.agencyMatrix": { partnerships: ["south"], quarter: "2025-Q4", asOf: "2026-01-15" },
    "metrics.overdue": { partnerships: ["south"], asOf: "2026-01-15" },
    "metrics.dataQuality": { partnerships: ["south"], from: "2025-Q4", to: "2025-Q4" },
    "reports.board": { partnerships: ["south"], quarter: "2025-Q4", asOf: "2026-01-15" },
    "reports.issue": { partnerships: ["south"], quarter: "2025-Q4", asOf: "2026-01-15" },
    "reports.issuedReport": { id: south.issued },
    "users.add": { email: "target-south@north.example", role: "board", scope: "north" },
    "users.disable": { email: "target-south@north.example" },
    "users.reset": { email: "target-south@north.example" },
    "reference.savePartnership": { ...NORTH_SETTINGS, code: "south", name: "South Safeguarding Children Partnership", closureDays: [] },
    "reference.previewVersion": { partnership: "south", version: SMALL_VERSION, replaces: "2015-01-01", asOf: "2026-01-15" },
    "reference.saveVersion": { partnership: "south", version: SMALL_VERSION, replaces: "2015-01-01" },
    "reference.deleteVersion": { partnership: "south", effectiveFrom: "2015-01-01" },
    "reference.saveAgency": { code: "SCH", name: "South Schools", sector: "education", aliases: [], partnerships: ["south"] },
    "reference.saveThemes": { partnership: "south", themes: [] },
    "reference.saveBankHolidays": { add: [], remove: [] },
  };
  return inputs[path];
}

async function callCross(path: string, who: Who): Promise<string> {
  const caller = createCaller({ db: ctx.db, auth: testAuth(), principal: who === "signed_out" ? null : PEOPLE[who] }) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  const [group, name] = path.split(".") as [string, string];
  try {
    await caller[group]![name]!(crossScopeInput(path));
    return "allow";
  } catch (error) {
    if (error instanceof TRPCError && ["FORBIDDEN", "UNAUTHORIZED", "NOT_FOUND"].includes(error.code)) return "deny";
    return `${error instanceof TRPCError ? error.code : "error"}: ${(error as Error).message}`;
  }
}

async function call(path: string, who: Who): Promise<"allow" | "deny"> {
  const caller = createCaller({ db: ctx.db, auth: testAuth(), principal: who === "signed_out" ? null : PEOPLE[who] }) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  const [group, name] = path.split(".") as [string, string];
  try {
    await caller[group]![name]!(sampleInput(path, who));
    return "allow";
  } catch (error) {
    // NOT_FOUND too: an id outside one's scope answers as a missing one.
    if (error instanceof TRPCError && ["FORBIDDEN", "UNAUTHORIZED", "NOT_FOUND"].includes(error.code)) return "deny";
    throw error;
  }
}

let auth: ReturnType<typeof createAuth> | undefined;
const testAuth = () => (auth ??= createAuth(ctx.db, { secret: "matrix-auth-secret-matrix-auth-secret-01" }));

beforeAll(async () => {
  await loadSmallWorld(ctx.db);
  await addUser(ctx.db, testAuth(), { email: "target@north.example", role: "board", scope: "north" }, "test");
  // Three CSC uploads, so that each role allowed to undo has one of its own to undo.
  for (const month of ["2025-10", "2025-11", "2025-12"]) {
    const result = await importText(ctx.db, `month,initial_conferences,review_conferences\n${month},1,2\n`, { kind: "conference_activity", agency: "CSC" });
    if (result.outcome === "loaded") batches.push(result.batchId!);
  }
  batches = batches.reverse();
  // One escalation CSC raised with HLT, for the record-level procedures (POL uploads it: CSC's lead reads it as the raiser).
  await loadEscalations(ctx.db, "POL", [escalationRow({ record_ref: "M1", partnership: "north", raising_agency: "CSC", receiving_agency: "HLT", concern_arose_on: "2025-11-03" })]);
  const [row] = await queryRows<{ id: number }>(ctx.db, sql`select id::int from escalations where record_ref = 'M1'`);
  escalationId = row!.id;
  sampleId = (await drawScrutinySample(ctx.db, PEOPLE.scrutineer, { partnerships: ["north"], from: "2025-Q4", to: "2025-Q4", themes: [], size: 1, seed: 1 })).id;
  issuedId = (await issueBoardReport(ctx.db, PEOPLE.admin, { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-15" })).id;
  // South's things, made by an admin for every partnership; a south board member nobody here manages.
  await loadEscalations(ctx.db, "SCH", [escalationRow({ record_ref: "S1", partnership: "south", raising_agency: "SCH", receiving_agency: "HLT", concern_arose_on: "2025-11-03" })]);
  const [southRow] = await queryRows<{ id: number }>(ctx.db, sql`select id::int from escalations where record_ref = 'S1'`);
  south.escalation = southRow!.id;
  south.sample = (await drawScrutinySample(ctx.db, TEST_ADMIN, { partnerships: ["south"], from: "2025-Q4", to: "2025-Q4", themes: [], size: 1, seed: 1 })).id;
  south.issued = (await issueBoardReport(ctx.db, TEST_ADMIN, { partnerships: ["south"], quarter: "2025-Q4", asOf: "2026-01-15" })).id;
  const southBatch = await importText(ctx.db, "month,initial_conferences,review_conferences\n2025-10,1,2\n", { kind: "conference_activity", agency: "SCH" });
  south.batch = southBatch.batchId!;
  await addUser(ctx.db, testAuth(), { email: "target-south@north.example", role: "board", scope: "south" }, "test");
  // A later version of north's procedure, for north's admin to delete.
  await saveVersion(ctx.db, TEST_ADMIN, { partnership: "north", version: { ...SMALL_VERSION, stages: [...SMALL_VERSION.stages], effectiveFrom: "2030-01-01", name: "Small procedure, 2030" } });
});

afterAll(async () => {
  await closeSharedChromium();
});

describe("the access matrix", () => {
  const procedures = Object.keys(appRouter._def.procedures).sort();

  it("has a row for every procedure, and every procedure declares its permission", () => {
    expect(procedures.filter((p) => !(p in ACCESS_TABLE))).toEqual([]);
    const undeclared = procedures.filter((p) => !(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { permission?: string } } }>)[p]!._def.meta?.permission);
    expect(undeclared).toEqual([]);
  });

  const whos: Who[] = ["signed_out", "admin", "board", "scrutineer", "agency_lead", "uploader"];
  it.each(Object.keys(ACCESS_TABLE))("%s answers each role as the table says", async (path) => {
    const answers = Object.fromEntries(await Promise.all(whos.map(async (who) => [who, await call(path, who)] as const)));
    expect(answers).toEqual(ACCESS_TABLE[path]);
  });

  const crossScoped = Object.keys(ACCESS_TABLE).filter((p) => crossScopeInput(p) !== undefined);
  it("tries every procedure with a partnership, agency, id or user parameter on another's thing", () => {
    // Those without: lists filtered to the person's scope (checked below) and reference data.
    expect(Object.keys(ACCESS_TABLE).filter((p) => !crossScoped.includes(p)).sort()).toEqual(
      [
        "agencies.list", "audit.list", "partnerships.list", "partnerships.procedureVersions", "reference.agencies", "reference.bankHolidays",
        "reference.partnerships", "reference.setup", "reports.issued", "scrutiny.samples", "themes.list", "uploads.running", "users.list",
      ],
    );
  });

  it.each(crossScoped)("%s refuses every role on south's or SCH's thing", async (path) => {
    const answers = Object.fromEntries(await Promise.all(whos.map(async (who) => [who, await callCross(path, who)] as const)));
    expect(answers).toEqual(Object.fromEntries(whos.map((w) => [w, "deny"])));
  });

  it("lists only what lies in the person's scope", async () => {
    const admin = createCaller({ db: ctx.db, auth: testAuth(), principal: PEOPLE.admin });
    expect((await admin.reports.issued()).map((r) => r.id)).not.toContain(south.issued);
    expect((await admin.users.list()).map((u) => u.email)).not.toContain("target-south@north.example");
    const scrutineer = createCaller({ db: ctx.db, auth: testAuth(), principal: PEOPLE.scrutineer });
    expect((await scrutineer.scrutiny.samples()).map((s) => s.id)).not.toContain(south.sample);
    expect((await admin.uploads.batches({})).map((b) => b.agency)).not.toContain("SCH");
    expect((await admin.reference.partnerships()).map((p) => p.code)).toEqual(["north"]);
    expect((await admin.reference.agencies()).map((a) => a.code)).not.toContain("SCH");
  });

  it("denies another agency's uploads and another partnership's figures, and records the attempts", async () => {
    const caller = createCaller({ db: ctx.db, auth: testAuth(), principal: PEOPLE.uploader });
    await expect(caller.uploads.batches({ agency: "HLT" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const board = createCaller({ db: ctx.db, auth: testAuth(), principal: PEOPLE.board });
    await expect(board.reports.board({ partnerships: ["south"], quarter: "2025-Q4", asOf: "2026-01-15" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const refused = await queryRows<{ actor: string; action: string; scope: unknown }>(
      ctx.db,
      sql`select actor, action, scope from audit_log where outcome = 'refused' and actor in ('uploader@north.example', 'board@north.example')
          and (scope->>'agency' = 'HLT' or scope->'partnerships' ? 'south') order by id`,
    );
    expect(refused).toEqual(
      expect.arrayContaining([
        { actor: "uploader@north.example", action: "access.uploads.read", scope: { agency: "HLT" } },
        { actor: "board@north.example", action: "access.figures.read", scope: { partnerships: ["south"] } },
      ]),
    );
  });

  it("refuses undoing another agency's upload, and records the attempt", async () => {
    const other = await importText(ctx.db, "month,initial_conferences,review_conferences\n2025-09,1,2\n", { kind: "conference_activity", agency: "HLT" });
    if (other.outcome !== "loaded") throw new Error("expected a load");
    const uploader = createCaller({ db: ctx.db, auth: testAuth(), principal: PEOPLE.uploader });
    // Answered as a batch that does not exist (nobody learns another agency's batch numbers), and audited as a refusal.
    await expect(uploader.uploads.undo({ batchId: other.batchId! })).rejects.toMatchObject({ code: "NOT_FOUND", message: `There is no upload batch ${other.batchId}.` });
    const [attempt] = await queryRows<{ action: string; scope: unknown }>(
      ctx.db,
      sql`select action, scope from audit_log where outcome = 'refused' and actor = 'uploader@north.example' and action = 'access.uploads.write' order by id desc limit 1`,
    );
    expect(attempt).toEqual({ action: "access.uploads.write", scope: { agency: "HLT" } });
  });

  it("records every record-level read", async () => {
    await createCaller({ db: ctx.db, auth: testAuth(), principal: PEOPLE.scrutineer }).metrics.overdue({ partnerships: ["north"], asOf: "2026-01-15" });
    const [read] = await queryRows<{ actor: string; outcome: string }>(ctx.db, sql`select actor, outcome from audit_log where action = 'records.overdue_list' order by id desc limit 1`);
    expect(read).toEqual({ actor: "scrutineer@north.example", outcome: "success" });
  });
  it("refuses an admin of north acting for POL, an agency it shares with south (its uploads and returns span both)", async () => {
    const admin = createCaller({ db: ctx.db, auth: testAuth(), principal: PEOPLE.admin });
    await expect(admin.uploads.batches({ agency: "POL" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.users.add({ email: "pol-uploader@north.example", role: "uploader", scope: "POL" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.users.add({ email: "pol-lead@north.example", role: "agency_lead", scope: "POL" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Reading POL's figures beside north's stays allowed: each figure is narrowed to north.
    await expect(admin.agencies.profile({ agency: "POL", quarters: 2, asOf: "2026-01-15" })).resolves.toMatchObject({ agency: { code: "POL" } });
    // An admin for every partnership may act for POL.
    await expect(createCaller({ db: ctx.db, auth: testAuth(), principal: TEST_ADMIN }).uploads.batches({ agency: "POL" })).resolves.toBeInstanceOf(Array);
  });

  it("writes where a record was read, and which, into the audit row", async () => {
    await createCaller({ db: ctx.db, auth: testAuth(), principal: PEOPLE.scrutineer }).records.get({ partnership: "north", id: escalationId, asOf: "2026-01-15" });
    const [read] = await queryRows<{ scope: unknown; details: unknown }>(ctx.db, sql`select scope, details from audit_log where action = 'records.view' order by id desc limit 1`);
    expect(read).toEqual({ scope: { partnerships: ["north"] }, details: { procedure: "records.get", input: { partnership: "north", id: escalationId, asOf: "2026-01-15" } } });
  });

  it("lets an admin give roles only within their own scope", async () => {
    const admin = createCaller({ db: ctx.db, auth: testAuth(), principal: PEOPLE.admin });
    await expect(admin.users.add({ email: "south@north.example", role: "board", scope: "south" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.users.add({ email: "all@north.example", role: "scrutineer", scope: "all" })).rejects.toThrow("Only an admin for all partnerships may give a role over all partnerships.");
    await expect(admin.users.add({ email: "sch@north.example", role: "uploader", scope: "SCH" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const added = await admin.users.add({ email: "csc-uploader@north.example", role: "uploader", scope: "CSC" });
    expect(added.generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    const users = await admin.users.list();
    expect(users.find((u) => u.email === "csc-uploader@north.example")).toEqual({ email: "csc-uploader@north.example", name: "csc-uploader@north.example", disabled: false, roles: [{ role: "uploader", scope: "CSC" }] });
    // Passwords are never listed.
    expect(JSON.stringify(users)).not.toMatch(/password|scrypt/i);
  });
});

