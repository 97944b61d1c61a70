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
import { loadSmallWorld } from "./support/reference";

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
  };
  return inputs[path];
}

async function call(path: string, who: Who): Promise<"allow" | "deny"> {
  const caller = createCaller({ db: ctx.db, auth: testAuth(), principal: who === "signed_out" ? null : PEOPLE[who] }) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  const [group, name] = path.split(".") as [string, string];
  try {
    await caller[group]![name]!(sampleInput(path, who));
    return "allow";
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "FORBIDDEN" || error.code === "UNAUTHORIZED")) return "deny";
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
    expect(refused).toEqual([
      { actor: "uploader@north.example", action: "access.uploads.read", scope: { agency: "HLT" } },
      { actor: "board@north.example", action: "access.figures.read", scope: { partnerships: ["south"] } },
    ]);
  });

  it("refuses undoing another agency's upload, and records the attempt", async () => {
    const other = await importText(ctx.db, "month,initial_conferences,review_conferences\n2025-09,1,2\n", { kind: "conference_activity", agency: "HLT" });
    if (other.outcome !== "loaded") throw new Error("expected a load");
    const uploader = createCaller({ db: ctx.db, auth: testAuth(), principal: PEOPLE.uploader });
    await expect(uploader.uploads.undo({ batchId: other.batchId! })).rejects.toMatchObject({ code: "FORBIDDEN" });
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

