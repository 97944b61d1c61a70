/**
 * The overview page's figures (headline trends, the state at the as-of date, agencies late to upload),
 * read through the tRPC server-side caller (as the page does) and over HTTP (as the browser does).
 */
import superjson from "superjson";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../wiring/trpc/router";
import { handleTrpcRequest } from "../wiring/trpc/http";
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

// As of 15 January 2026, quarter 2025-Q4: the overview reads nine quarters, 2023-Q4 to 2025-Q4.
// Q3 raised: E2, E3, E4 = 3; open at 30 Sep: E3, E4 = 2; closed in Q3: E1 (2 July), E2 (3 July) = 2.
// Q4 raised: E5, E6 = 2; open at 31 Dec: E4, E5 = 2 (E3 closed 1 Oct; E6 withdrawn 20 Oct); closed in Q4: E3, E6 = 2.
// Open at 15 Jan 2026: E4, E5 (E5's closure on 20 January has not happened yet). Overdue then (stages of 2 working days):
// E4's stage 2 clock runs from 18 Aug 2025 (far over); E5's stage 1 from 31 Dec: Fri 2, Mon 5 … Thu 15 Jan = 10 > 2. So 2.
const admin = () => createCaller({ db: ctx.db, principal: TEST_ADMIN, auth: createAuth(ctx.db, { secret: "test-auth-secret-test-auth-secret-0123456" }) });

describe("the overview's figures", () => {
  it("counts each quarter as METRICS.md defines it, through the server-side caller", async () => {
    const overview = await admin().metrics.overview({ partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-15" });
    expect(overview.trends).toHaveLength(9);
    expect(overview.trends.slice(-2).map((t) => [t.quarter, t.raised, t.openAtPeriodEnd, t.closed])).toEqual([
      ["2025-Q3", 3, 2, 2],
      ["2025-Q4", 2, 2, 2],
    ]);
    // North's procedure sets no total limit, so no escalation is past one.
    expect(overview.atAsOf).toEqual({ date: "2026-01-15", overdue: 2, unresolvedAfterFinalStage: 0, overdueTotalLimit: 0 });
  });

  it("treats a closure after the as-of date as not yet happened, and keeps partnerships apart", async () => {
    // On 20 January 2026 E5 closes: only E4 is open, and overdue.
    expect((await admin().metrics.overview({ partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-20" })).atAsOf.overdue).toBe(1);
    // South: E7 raised in Q3 and open since.
    const south = await admin().metrics.overview({ partnerships: ["south"], quarter: "2025-Q4", asOf: "2026-01-15" });
    expect(south.trends.slice(-2).map((t) => [t.quarter, t.raised, t.openAtPeriodEnd])).toEqual([["2025-Q3", 1, 1], ["2025-Q4", 0, 1]]);
  });

  it("names the agencies whose last upload is more than a month old", async () => {
    // POL's one upload is dated 23 November 2026 (TEST_UPLOAD_DATE); CSC and HLT (north's other agencies) never uploaded.
    const late = async (asOf: string) =>
      (await admin().metrics.overview({ partnerships: ["north"], quarter: "2025-Q4", asOf })).lateAgencies.map((a) => [a.agency, a.lastUploadOn]);
    // 30 Nov 2026: a month before is 30 Oct; POL uploaded since.
    expect(await late("2026-11-30")).toEqual([["CSC", null], ["HLT", null]]);
    // 24 Dec 2026: a month before is 24 Nov, after POL's upload on the 23rd.
    expect(await late("2026-12-24")).toEqual([["CSC", null], ["HLT", null], ["POL", "2026-11-23"]]);
  });

  it("serves the same figures over HTTP, and a plain message for an unknown partnership", async () => {
    const context = async () => ({ db: ctx.db, principal: TEST_ADMIN, auth: createAuth(ctx.db, { secret: "test-auth-secret-test-auth-secret-0123456" }) });
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-15" })));
    const ok = await handleTrpcRequest(new Request(`http://localhost/api/trpc/metrics.overview?input=${input}`), context);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { result: { data: Parameters<typeof superjson.deserialize>[0] } };
    expect(superjson.deserialize(body.result.data)).toEqual(await admin().metrics.overview({ partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-15" }));

    const missing = encodeURIComponent(JSON.stringify(superjson.serialize({ partnerships: ["west"], quarter: "2025-Q4" })));
    const notFound = await handleTrpcRequest(new Request(`http://localhost/api/trpc/metrics.overview?input=${missing}`), context);
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
