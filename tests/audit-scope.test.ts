/**
 * Issue 16, finding 6 (part): an admin scoped to some partnerships read the whole audit log. Now
 * they read the rows whose scope lies within their partnerships, and the rows they wrote themselves;
 * an admin for all reads everything. Through the real router, and listAuditAs (the CSV export's).
 *
 * The world (tests/support/reference.ts): partnerships north and south; agencies CSC (north),
 * SCH (south), POL and HLT (both).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../server/access/permissions";
import { createAuth } from "../server/access/auth";
import { listAuditAs, writeAudit } from "../server/audit";
import { createCaller } from "../wiring/trpc/router";
import { useTestWarehouse } from "./support/db";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
const person = (email: string, grants: Principal["grants"]): Principal => ({ userId: email, email, name: email, grants });
const NORTH_ADMIN = person("admin@north.example", [{ role: "admin", partnerships: ["north"], agency: null }]);
const SOUTH_ADMIN = person("admin@south.example", [{ role: "admin", partnerships: ["south"], agency: null }]);
const ALL_ADMIN = person("admin@all.example", [{ role: "admin", partnerships: "all", agency: null }]);

/** One row per kind of scope, each named for what it is; the actor is someone else unless said. */
const ROWS: Array<{ name: string; scope: Record<string, unknown>; actor?: string }> = [
  { name: "north", scope: { partnerships: ["north"] } },
  { name: "south", scope: { partnerships: ["south"] } },
  { name: "north+south", scope: { partnerships: ["north", "south"] } },
  { name: "all", scope: { partnerships: "all" } },
  { name: "no partnerships", scope: { partnerships: [] } },
  { name: "agency CSC", scope: { agency: "CSC" } },
  { name: "agency csc (lower case)", scope: { agency: "csc" } },
  { name: "agency SCH", scope: { agency: "SCH" } },
  { name: "agency POL", scope: { agency: "POL" } },
  { name: "agencies CSC+HLT", scope: { agencies: ["CSC", "HLT"] } },
  { name: "agencies CSC+SCH", scope: { agencies: ["CSC", "SCH"] } },
  { name: "north with agency SCH", scope: { partnerships: ["north"], agency: "SCH" } },
  { name: "nothing named (a sign-in)", scope: {} },
  { name: "own row, nothing named", scope: {}, actor: "admin@north.example" },
  { name: "own row in south", scope: { partnerships: ["south"] }, actor: "admin@north.example" },
];

let auth: ReturnType<typeof createAuth>;

beforeAll(async () => {
  await loadSmallWorld(ctx.db);
  auth = createAuth(ctx.db, { secret: "audit-scope-secret-audit-scope-secret-01" });
  for (const row of ROWS) {
    await writeAudit(ctx.db, { actor: row.actor ?? "someone@else.example", action: "probe.scope", scope: row.scope, details: { name: row.name }, outcome: "success" });
  }
});

const namesSeenBy = async (principal: Principal) =>
  (await createCaller({ db: ctx.db, auth, principal }).audit.list({ action: "probe." })).map((r) => r.details.name).reverse();

describe("the audit log an admin reads", () => {
  it("shows an admin of north only north's rows and their own", async () => {
    // north: within. CSC/csc: a north agency. POL: in north (and south). CSC+HLT: both in north.
    // Not: south, north+south, all, [] (names nothing), SCH (south only), CSC+SCH, north-with-SCH, {} by another.
    // Own rows, whatever their scope: both.
    expect(await namesSeenBy(NORTH_ADMIN)).toEqual([
      "north",
      "agency CSC",
      "agency csc (lower case)",
      "agency POL",
      "agencies CSC+HLT",
      "own row, nothing named",
      "own row in south",
    ]);
  });

  it("shows an admin of south south's rows, and nothing north's admin did", async () => {
    // south, SCH, POL (in south too); "own row in south" is north's admin's but lies in south, so south's admin reads it.
    expect(await namesSeenBy(SOUTH_ADMIN)).toEqual(["south", "agency SCH", "agency POL", "own row in south"]);
  });

  it("shows an admin for all every row", async () => {
    expect(await namesSeenBy(ALL_ADMIN)).toEqual(ROWS.map((r) => r.name));
  });

  it("gives the CSV export's function the same rows as the page", async () => {
    const exported = (await listAuditAs(ctx.db, NORTH_ADMIN, { action: "probe.", limit: 100_000 })).map((r) => r.details.name).reverse();
    expect(exported).toEqual(await namesSeenBy(NORTH_ADMIN));
  });

  it("keeps the filters working inside the scope", async () => {
    const filtered = await createCaller({ db: ctx.db, auth, principal: NORTH_ADMIN }).audit.list({ action: "probe.", actor: "admin@north" });
    expect(filtered.map((r) => r.details.name).reverse()).toEqual(["own row, nothing named", "own row in south"]);
  });
});
