/**
 * Issue 16, findings 1 and 6: an agency uploads only into partnerships it is a member of, a row
 * never replaces a record another agency owns, and a load's audit row names the partnerships it
 * wrote into. The small world: CSC belongs to north only, SCH to south only, POL and HLT to both.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import { undoBatch } from "../importers/batches";
import type { ImportResult } from "../importers/importFile";
import { useTestWarehouse } from "./support/db";
import { importText } from "./support/records";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
beforeAll(async () => {
  await loadSmallWorld(ctx.db);
});

function loaded(result: ImportResult) {
  if (result.outcome !== "loaded") throw new Error(`expected a load, got ${JSON.stringify(result)}`);
  return result;
}

const ESCALATIONS = "record_ref,partnership,raising_agency,receiving_agency,concern_arose_on,themes,status\n";
const DISSENT = "record_ref,partnership,conference_date,conference_type,dissenting_agency,decision,themes,status\n";
const ACTIVITY = "partnership,month,initial_conferences,review_conferences\n";

const months = async () =>
  queryRows<{ partnership: string; month: string; initial_conferences: number; review_conferences: number; agency: string }>(
    ctx.db,
    sql`select p.code as partnership, to_char(c.month, 'YYYY-MM') as month, c.initial_conferences, c.review_conferences, a.code as agency
        from conference_activity c join partnerships p on p.id = c.partnership_id join agencies a on a.id = c.agency_id order by 1, 2`,
  );

const NOT_MEMBER = {
  column: "partnership",
  value: "south",
  reason: "agency CSC is not a member of South Safeguarding Children Partnership, so it cannot upload that partnership's records; CSC uploads for north",
  rule: "uploader_not_member",
};

describe("an agency uploads only into its own partnerships", () => {
  it("rejects an escalation naming a partnership the uploading agency does not belong to, and loads the rest", async () => {
    // Row 2 is north (CSC's own); row 3 names south, where POL and HLT are members but CSC is not.
    const result = loaded(await importText(ctx.db, ESCALATIONS + "OWN-1,north,POL,HLT,2025-03-03,thresholds,open\nFOREIGN-1,south,POL,HLT,2025-03-03,thresholds,open\n", { kind: "escalations", agency: "CSC" }));
    expect(result.counts).toEqual({ loaded: 1, replaced: 0, unchanged: 0, rejected: 1 });
    expect(result.rejects).toEqual([{ rowNumber: 3, recordRef: "FOREIGN-1", faults: [NOT_MEMBER] }]);
    const south = await queryRows(ctx.db, sql`select record_ref from escalations e join partnerships p on p.id = e.partnership_id where p.code = 'south'`);
    expect(south).toEqual([]);
  });

  it("lists the row's other faults too, checked against the partnership it names", async () => {
    // The agencies named are checked against south: SCH is a member (no second fault), CSC is not.
    const result = loaded(await importText(ctx.db, ESCALATIONS + "FOREIGN-2,south,SCH,POL,2025-03-03,thresholds,open\n", { kind: "escalations", agency: "CSC", dryRun: true }));
    expect(result.rejects).toEqual([{ rowNumber: 2, recordRef: "FOREIGN-2", faults: [NOT_MEMBER] }]);
    const both = loaded(await importText(ctx.db, ESCALATIONS + "FOREIGN-3,south,CSC,POL,2025-03-03,thresholds,open\n", { kind: "escalations", agency: "CSC", dryRun: true }));
    expect(both.rejects[0]!.faults.map((f) => f.rule)).toEqual(["uploader_not_member", "not_member"]);
  });

  it("rejects dissent naming another partnership", async () => {
    const result = loaded(await importText(ctx.db, DISSENT + "D-FOREIGN,south,2025-03-03,initial,HLT,no_cp_plan,plan,open\n", { kind: "dissent", agency: "CSC" }));
    expect(result.counts).toEqual({ loaded: 0, replaced: 0, unchanged: 0, rejected: 1 });
    expect(result.rejects).toEqual([{ rowNumber: 2, recordRef: "D-FOREIGN", faults: [NOT_MEMBER] }]);
    expect(await queryRows(ctx.db, sql`select 1 from dissents`)).toEqual([]);
  });

  it("rejects another partnership's conference activity, and leaves that partnership's month as its own agency uploaded it", async () => {
    // SCH (south only) uploads south's March without a partnership column: its only partnership is taken.
    loaded(await importText(ctx.db, "month,initial_conferences,review_conferences\n2025-03,7,9\n", { kind: "conference_activity", agency: "SCH" }));
    const result = loaded(await importText(ctx.db, ACTIVITY + "south,2025-03,1,1\n", { kind: "conference_activity", agency: "CSC" }));
    expect(result.counts).toEqual({ loaded: 0, replaced: 0, unchanged: 0, rejected: 1 });
    // Both faults are listed: the partnership is not CSC's, and that month is SCH's.
    expect(result.rejects[0]!.faults.map((f) => [f.column, f.rule])).toEqual([["partnership", "uploader_not_member"], ["month", "month_of_another_agency"]]);
    expect(result.rejects[0]!.faults[0]).toEqual(NOT_MEMBER);
    expect(await months()).toEqual([{ partnership: "south", month: "2025-03", initial_conferences: 7, review_conferences: 9, agency: "SCH" }]);
  });

  it("rejects every row of an agency that belongs to no partnership, saying so", async () => {
    await ctx.db.execute(sql`insert into agencies (code, name, sector) values ('LONE', 'An agency of no partnership', 'other')`);
    const result = loaded(await importText(ctx.db, ESCALATIONS.replace("partnership,", "") + "L1,POL,HLT,2025-03-03,thresholds,open\n", { kind: "escalations", agency: "LONE" }));
    expect(result.rejects).toEqual([
      {
        rowNumber: 2,
        recordRef: "L1",
        faults: [
          {
            column: "partnership",
            value: "",
            reason: "agency LONE is not a member of any partnership, so it cannot upload records; an admin first configures it as a member of its partnership",
            rule: "uploader_not_member",
          },
        ],
      },
    ]);
  });
});

describe("a row never replaces a record another agency owns", () => {
  it("rejects a month of conference activity another member agency holds, naming it, and loads the uploader's own months", async () => {
    const csc = loaded(await importText(ctx.db, ACTIVITY + "north,2025-01,10,20\n", { kind: "conference_activity", agency: "CSC" }));
    // POL belongs to north too, but north's January is CSC's: POL's row is rejected; its February is new and loads.
    const preview = loaded(await importText(ctx.db, ACTIVITY + "north,2025-01,1,1\nnorth,2025-02,3,4\n", { kind: "conference_activity", agency: "POL", dryRun: true }));
    expect(preview.counts).toEqual({ loaded: 1, replaced: 0, unchanged: 0, rejected: 1 });
    const pol = loaded(await importText(ctx.db, ACTIVITY + "north,2025-01,1,1\nnorth,2025-02,3,4\n", { kind: "conference_activity", agency: "POL" }));
    expect(pol.counts).toEqual({ loaded: 1, replaced: 0, unchanged: 0, rejected: 1 });
    expect(pol.rejects).toEqual([
      {
        rowNumber: 2,
        recordRef: null,
        faults: [
          {
            column: "month",
            value: "2025-01",
            reason:
              `is already held for North Safeguarding Children Partnership by North Children's Social Care (CSC), from its upload batch ${csc.batchId}; ` +
              "a month's figures are replaced only by the agency that uploaded them (or that batch is undone first)",
            rule: "month_of_another_agency",
          },
        ],
      },
    ]);
    const north = (await months()).filter((m) => m.partnership === "north");
    expect(north).toEqual([
      { partnership: "north", month: "2025-01", initial_conferences: 10, review_conferences: 20, agency: "CSC" },
      { partnership: "north", month: "2025-02", initial_conferences: 3, review_conferences: 4, agency: "POL" },
    ]);

    // The same figures from another agency are not "unchanged" either: the month is not theirs.
    const same = loaded(await importText(ctx.db, ACTIVITY + "north,2025-01,10,20\n", { kind: "conference_activity", agency: "HLT" }));
    expect(same.counts).toEqual({ loaded: 0, replaced: 0, unchanged: 0, rejected: 1 });

    // Undoing POL's batch removes its February only; CSC's January is as it was.
    await undoBatch(ctx.db, pol.batchId!, "test");
    expect((await months()).filter((m) => m.partnership === "north")).toEqual([north[0]]);
    // The owner replaces its own month, and undoing that brings its first figures back exactly.
    const corrected = loaded(await importText(ctx.db, ACTIVITY + "north,2025-01,11,20\n", { kind: "conference_activity", agency: "CSC" }));
    expect(corrected.counts).toEqual({ loaded: 0, replaced: 1, unchanged: 0, rejected: 0 });
    await undoBatch(ctx.db, corrected.batchId!, "test");
    expect((await months()).filter((m) => m.partnership === "north")).toEqual([north[0]]);
    // Once CSC's batch is undone, the month is free: POL may upload it.
    await undoBatch(ctx.db, csc.batchId!, "test");
    const handedOver = loaded(await importText(ctx.db, ACTIVITY + "north,2025-01,1,1\n", { kind: "conference_activity", agency: "POL" }));
    expect(handedOver.counts).toEqual({ loaded: 1, replaced: 0, unchanged: 0, rejected: 0 });
  });

  it("keeps two agencies' records with the same record_ref apart: each replaces and undoes only its own (identity is agency, kind, record_ref)", async () => {
    const refs = async () =>
      queryRows<{ agency: string; status: string; version: number }>(
        ctx.db,
        sql`select a.code as agency, e.status, e.version from escalations e join agencies a on a.id = e.agency_id where e.record_ref = 'SHARED-1' order by 1`,
      );
    loaded(await importText(ctx.db, ESCALATIONS + "SHARED-1,north,POL,HLT,2025-04-01,thresholds,open\n", { kind: "escalations", agency: "CSC" }));
    const hlt = loaded(await importText(ctx.db, ESCALATIONS + "SHARED-1,north,HLT,POL,2025-04-02,thresholds,open\n", { kind: "escalations", agency: "HLT" }));
    expect(hlt.counts).toEqual({ loaded: 1, replaced: 0, unchanged: 0, rejected: 0 });
    const closed = loaded(
      await importText(ctx.db, "record_ref,partnership,raising_agency,receiving_agency,concern_arose_on,themes,status,closed_on\nSHARED-1,north,HLT,POL,2025-04-02,thresholds,resolved,2025-04-03\n", { kind: "escalations", agency: "HLT" }),
    );
    expect(closed.counts).toEqual({ loaded: 0, replaced: 1, unchanged: 0, rejected: 0 });
    expect(await refs()).toEqual([
      { agency: "CSC", status: "open", version: 1 },
      { agency: "HLT", status: "resolved", version: 2 },
    ]);
    await undoBatch(ctx.db, closed.batchId!, "test");
    expect(await refs()).toEqual([
      { agency: "CSC", status: "open", version: 1 },
      { agency: "HLT", status: "open", version: 1 },
    ]);
  });
});

describe("a load's audit row", () => {
  const lastCommit = async () =>
    (await queryRows<{ scope: unknown }>(ctx.db, sql`select scope from audit_log where action = 'import.commit' order by id desc limit 1`))[0]!.scope;

  it("names the partnerships the batch wrote into, not only the agency", async () => {
    loaded(await importText(ctx.db, ESCALATIONS + "AUD-1,north,POL,HLT,2025-05-01,thresholds,open\nAUD-2,south,POL,HLT,2025-05-01,thresholds,open\n", { kind: "escalations", agency: "POL" }));
    expect(await lastCommit()).toEqual({ agency: "POL", partnerships: ["north", "south"] });
  });

  it("names where a record moved from as well as where it went, and no partnership for rows left unchanged", async () => {
    // AUD-1 moves from north to south (POL belongs to both); AUD-2 is as it was.
    loaded(await importText(ctx.db, ESCALATIONS + "AUD-1,south,POL,HLT,2025-05-01,thresholds,open\nAUD-2,south,POL,HLT,2025-05-01,thresholds,open\n", { kind: "escalations", agency: "POL" }));
    expect(await lastCommit()).toEqual({ agency: "POL", partnerships: ["north", "south"] });
    loaded(await importText(ctx.db, ESCALATIONS + "AUD-2,south,POL,HLT,2025-05-01,thresholds,open\nAUD-3,south,POL,HLT,2025-05-02,thresholds,open\n", { kind: "escalations", agency: "POL" }));
    expect(await lastCommit()).toEqual({ agency: "POL", partnerships: ["south"] });
  });

  it("names the partnership of conference activity written, including one taken from the agency's only partnership", async () => {
    loaded(await importText(ctx.db, "month,initial_conferences,review_conferences\n2025-06,2,3\n", { kind: "conference_activity", agency: "SCH" }));
    expect(await lastCommit()).toEqual({ agency: "SCH", partnerships: ["south"] });
  });
});
