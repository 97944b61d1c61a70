/**
 * The capability object the pages and the navigation read (issue 16: "pages read one capability
 * object"): what each role may do, worked out from the same rules as every procedure and route.
 * The small world: north has POL, CSC, HLT; south has POL, HLT, SCH.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { capabilitiesOf, holds, noneIn } from "../server/access/capabilities";
import type { Principal, RoleGrant } from "../server/access/permissions";
import { useTestWarehouse } from "./support/db";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
const person = (...grants: RoleGrant[]): Principal => ({ userId: "u", email: "p@test.example", name: "P", grants });

beforeAll(async () => {
  await loadSmallWorld(ctx.db);
});

describe("capabilitiesOf", () => {
  it("an admin of north: north's figures and records, the uploads of agencies only north has, users, the audit log", async () => {
    const c = await capabilitiesOf(ctx.db, person({ role: "admin", partnerships: ["north"], agency: null }));
    expect([c.figurePartnerships, c.recordPartnerships, c.uploadAgencies, c.readUploadAgencies]).toEqual([["north"], ["north"], ["CSC"], ["CSC"]]);
    expect([c.mayManageUsers, c.mayReadAudit, c.maySetUpPartnerships]).toEqual([true, true, true]);
    expect([await c.mayIssueReports(["north"]), await c.mayIssueReports(["south"]), await c.mayIssueReports(["north", "south"])]).toEqual([true, false, false]);
    expect([await c.mayReadRecords({ partnerships: ["north"] }), await c.mayReadRecords({ partnerships: ["south"] })]).toEqual([true, false]);
    // CSC works only in north, SCH only in south; HLT in both, so its return is not north's admin's to write.
    expect([await c.mayWriteEvidence("CSC"), await c.mayWriteEvidence("HLT"), await c.mayWriteEvidence("SCH")]).toEqual([true, false, false]);
    expect(c.sections.map((s) => s.href)).toContain("/admin/users");
  });

  it("a board member: figures only; nothing to upload, no records, no users, no audit log", async () => {
    const c = await capabilitiesOf(ctx.db, person({ role: "board", partnerships: ["north"], agency: null }));
    expect([c.figurePartnerships, noneIn(c.recordPartnerships), noneIn(c.uploadAgencies), noneIn(c.readUploadAgencies)]).toEqual([["north"], true, true, true]);
    expect([c.mayManageUsers, c.mayReadAudit, c.maySetUpPartnerships, await c.mayIssueReports(["north"])]).toEqual([false, false, false, false]);
    expect(c.sections.map((s) => s.href)).not.toContain("/records");
  });

  it("an agency lead of CSC: no partnership figures, its own agency's records and uploads to read, not to make", async () => {
    const c = await capabilitiesOf(ctx.db, person({ role: "agency_lead", partnerships: [], agency: "CSC" }));
    expect([c.figurePartnerships, c.recordPartnerships, c.uploadAgencies, c.readUploadAgencies, c.ledAgencies]).toEqual([[], ["north"], [], ["CSC"], ["CSC"]]);
    expect([await c.mayReadRecords({ agency: "CSC" }), await c.mayReadRecords({ agency: "HLT" }), await c.mayWriteEvidence("csc"), await c.mayWriteEvidence("HLT")]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  it("an uploader of CSC uploads for CSC only", async () => {
    const c = await capabilitiesOf(ctx.db, person({ role: "uploader", partnerships: [], agency: "CSC" }));
    expect([c.uploadAgencies, holds(c.uploadAgencies, "csc"), holds(c.uploadAgencies, "HLT"), noneIn(c.figurePartnerships)]).toEqual([["CSC"], true, false, true]);
  });

  it("nothing chosen is never everything: no partnerships to issue or read records of is a no", async () => {
    const c = await capabilitiesOf(ctx.db, person({ role: "admin", partnerships: "all", agency: null }));
    expect([c.figurePartnerships, c.uploadAgencies]).toEqual(["all", "all"]);
    expect([await c.mayIssueReports([]), await c.mayReadRecords({}), await c.mayReadRecords({ partnerships: [] })]).toEqual([false, false, false]);
  });
});
