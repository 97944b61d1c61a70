/**
 * The overview page's figures: escalations raised per quarter and open at each quarter's end, read
 * through the tRPC server-side caller (as the page does) and over HTTP (as the browser does).
 */
import superjson from "superjson";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../server/trpc/router";
import { handleTrpcRequest } from "../server/trpc/http";
import { useTestWarehouse } from "./support/db";
import { TEST_ADMIN } from "./support/principals";
import { createAuth } from "../server/access/auth";
import { escalationRow, loadEscalations } from "./support/records";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();

beforeAll(async () => {
  await loadSmallWorld(ctx.db);
  await loadEscalations(ctx.db, "POL", [
    // E1: arose in Q2, closed 2 July: neither raised in Q3 nor open at its end.
    escalationRow({ record_ref: "E1", partnership: "north", concern_arose_on: "2025-06-30", stage1_on: "2025-07-02", status: "resolved", closed_on: "2025-07-02" }),
    // E2: raised on Q3's first day, closed within it.
    escalationRow({ record_ref: "E2", partnership: "north", concern_arose_on: "2025-07-01", stage1_on: "2025-07-03", status: "resolved", closed_on: "2025-07-03" }),
    // E3: raised on Q3's last day, closed the next day: open at the end of Q3, not of Q4.
    escalationRow({ record_ref: "E3", partnership: "north", concern_arose_on: "2025-09-30", stage1_on: "2025-10-01", status: "resolved", closed_on: "2025-10-01" }),
    // E4: raised in Q3 and still open.
    escalationRow({ record_ref: "E4", partnership: "north", concern_arose_on: "2025-08-15", stage1_on: "2025-08-18" }),
    // E5: raised on Q4's last day, closed 20 January 2026 (after the as-of date): open at Q4's end and at as-of.
    escalationRow({ record_ref: "E5", partnership: "north", concern_arose_on: "2025-12-31", stage1_on: "2026-01-20", status: "resolved", closed_on: "2026-01-20" }),
    // E6: raised and withdrawn in Q4.
    escalationRow({ record_ref: "E6", partnership: "north", concern_arose_on: "2025-10-10", status: "withdrawn", closed_on: "2025-10-20" }),
    // E7: another partnership's escalation, never counted for north.
    escalationRow({ record_ref: "E7", partnership: "south", concern_arose_on: "2025-08-01", receiving_agency: "SCH" }),
  ]);
});

// As of 15 January 2026 the last complete quarter is 2025-Q4; two quarters: 2025-Q3 and 2025-Q4.
// Q3 raised: E2, E3, E4 = 3; open at 30 Sep: E3, E4 = 2.
// Q4 raised: E5, E6 = 2; open at 31 Dec: E4, E5 = 2.
// Open at 15 Jan 2026: E4, E5 = 2 (E5's closure on 20 Jan has not happened yet).
const EXPECTED_NORTH = {
  asOf: "2026-01-15",
  openAtAsOf: 2,
  quarters: [
    { quarter: "2025-Q3", label: "2025-Q3", start: "2025-07-01", end: "2025-09-30", raised: 3, openAtPeriodEnd: 2 },
    { quarter: "2025-Q4", label: "2025-Q4", start: "2025-10-01", end: "2025-12-31", raised: 2, openAtPeriodEnd: 2 },
  ],
};

describe("escalations raised and open per quarter", () => {
  it("counts each quarter as METRICS.md defines it, through the server-side caller", async () => {
    const caller = createCaller({ db: ctx.db, principal: TEST_ADMIN, auth: createAuth(ctx.db, { secret: "test-auth-secret-test-auth-secret-0123456" }) });
    const figures = await caller.escalations.quarterly({ partnership: "north", quarters: 2, asOf: "2026-01-15" });
    expect(figures).toMatchObject(EXPECTED_NORTH);
    expect(figures.partnership).toMatchObject({ code: "north", name: "North Safeguarding Children Partnership" });
  });

  it("treats a closure after the as-of date as not yet happened", async () => {
    const caller = createCaller({ db: ctx.db, principal: TEST_ADMIN, auth: createAuth(ctx.db, { secret: "test-auth-secret-test-auth-secret-0123456" }) });
    // On 20 January 2026 E5 closes: only E4 is open.
    expect((await caller.escalations.quarterly({ partnership: "north", quarters: 1, asOf: "2026-01-20" })).openAtAsOf).toBe(1);
    // South: E7 raised in Q3 and open since.
    const south = await caller.escalations.quarterly({ partnership: "south", quarters: 2, asOf: "2026-01-15" });
    expect(south.quarters.map((q) => [q.quarter, q.raised, q.openAtPeriodEnd])).toEqual([["2025-Q3", 1, 1], ["2025-Q4", 0, 1]]);
  });

  it("serves the same figures over HTTP, and a plain message for an unknown partnership", async () => {
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ partnership: "north", quarters: 2, asOf: "2026-01-15" })));
    const ok = await handleTrpcRequest(new Request(`http://localhost/api/trpc/escalations.quarterly?input=${input}`), async () => ({ db: ctx.db, principal: TEST_ADMIN, auth: createAuth(ctx.db, { secret: "test-auth-secret-test-auth-secret-0123456" }) }));
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { result: { data: Parameters<typeof superjson.deserialize>[0] } };
    expect(superjson.deserialize(body.result.data)).toMatchObject(EXPECTED_NORTH);

    const missing = encodeURIComponent(JSON.stringify(superjson.serialize({ partnership: "west" })));
    const notFound = await handleTrpcRequest(new Request(`http://localhost/api/trpc/escalations.quarterly?input=${missing}`), async () => ({ db: ctx.db, principal: TEST_ADMIN, auth: createAuth(ctx.db, { secret: "test-auth-secret-test-auth-secret-0123456" }) }));
    expect(notFound.status).toBe(404);
    expect(JSON.stringify(await notFound.json())).toContain('There is no partnership with the code \\"west\\".');
  });

  it("lists partnerships with their procedure", async () => {
    const list = await createCaller({ db: ctx.db, principal: TEST_ADMIN, auth: createAuth(ctx.db, { secret: "test-auth-secret-test-auth-secret-0123456" }) }).partnerships.list();
    expect(list.map((p) => [p.code, p.procedureName, p.stageWord])).toEqual([
      ["north", "Small procedure", "stage"],
      ["south", "Small procedure", "stage"],
    ]);
  });
});
