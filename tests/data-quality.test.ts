/** Data quality per agency and quarter, worked by hand from uploads made through the importer. */
import { beforeAll, describe, expect, it } from "vitest";
import { undoBatch } from "../importers/batches";
import { getDataQuality } from "../server/metrics/dataQuality";
import { useTestWarehouse } from "./support/db";
import { importText } from "./support/records";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();

beforeAll(async () => {
  await loadSmallWorld(ctx.db);
  // CSC, 23 November 2026: row 2 loads with stage 1 skipped; row 3 has an impossible date; row 4 names an
  // unknown agency and has no themes (two faults in one reject).
  await importText(
    ctx.db,
    "record_ref,raising_agency,receiving_agency,concern_arose_on,themes,stage1_on,stage2_on,status,closed_on\n" +
      "Q1,CSC,HLT,2026-10-05,thresholds,,2026-10-07,open,\n" +
      "Q2,CSC,HLT,31/09/2026,thresholds,,,open,\n" +
      "Q3,CSC,Nobody,2026-10-06,,,,open,\n",
    { kind: "escalations", agency: "CSC", uploadDate: "2026-11-23" },
  );
  // CSC, 15 October 2026: one month of conference activity.
  await importText(ctx.db, "month,initial_conferences,review_conferences\n2026-09,4,9\n", { kind: "conference_activity", agency: "CSC", uploadDate: "2026-10-15" });
  // An upload that was undone no longer counts.
  const undone = await importText(ctx.db, "month,initial_conferences,review_conferences\n2026-08,4,9\n", { kind: "conference_activity", agency: "CSC", uploadDate: "2026-12-01" });
  if (undone.outcome === "loaded") await undoBatch(ctx.db, undone.batchId!, "test");
});

describe("data quality", () => {
  it("counts rows uploaded and rejected, rejects by reason, skipped stages and months without an upload", async () => {
    const quality = await getDataQuality(ctx.db, { partnerships: ["north"], from: "2026-Q4", to: "2026-Q4" });
    // North's members: CSC, HLT, POL (SCH belongs to south).
    expect(quality.agencies).toEqual([
      { agency: "CSC", name: "North Children's Social Care", lastUploadOn: "2026-11-23" },
      { agency: "HLT", name: "Community Health Trust", lastUploadOn: null },
      { agency: "POL", name: "County Police", lastUploadOn: null },
    ]);
    // CSC in 2026-Q4: 3 escalation rows (23 Nov) + 1 activity row (15 Oct) = 4 uploaded; 2 rejected, with faults
    // invalid_date (Q2), unknown_agency and required (Q3); Q1 skips stage 1; December has no upload (its undone batch does not count).
    expect(quality.rows).toEqual([
      {
        agency: "CSC", quarter: "2026-Q4", rowsUploaded: 4, rowsRejected: 2,
        rejectsByReason: { invalid_date: 1, required: 1, unknown_agency: 1 }, skippedStageRows: 1, monthsWithNoUpload: ["2026-12"],
      },
      { agency: "HLT", quarter: "2026-Q4", rowsUploaded: 0, rowsRejected: 0, rejectsByReason: {}, skippedStageRows: 0, monthsWithNoUpload: ["2026-10", "2026-11", "2026-12"] },
      { agency: "POL", quarter: "2026-Q4", rowsUploaded: 0, rowsRejected: 0, rejectsByReason: {}, skippedStageRows: 0, monthsWithNoUpload: ["2026-10", "2026-11", "2026-12"] },
    ]);
  });
});
