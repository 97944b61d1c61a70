/**
 * The scrutineer's audit over the hand-worked world: a seeded sample is reproducible, findings
 * round-trip (and export formula-safe), and they feed the board report's scrutiny section.
 */
import { tableFromIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBoardDocument } from "../reports/boardDocument";
import { closeSharedChromium } from "../reports/chromium";
import { scrutinySampleArrow, scrutinySampleCsv } from "../reports/scrutinyExport";
import type { Principal } from "../server/access/permissions";
import { todayInLondon } from "../server/calendar/dates";
import { drawSample, drawScrutinySample, getScrutinySample, recordFinding } from "../server/scrutiny/samples";
import { useTestWarehouse } from "./support/db";
import { loadHandWorkedWorld } from "./support/handWorld";

const ctx = useTestWarehouse();
const SCRUTINEER: Principal = { userId: "s", email: "scrutineer@north.example", name: "Scrutineer", grants: [{ role: "scrutineer", partnerships: ["north"], agency: null }] };
const LEAD: Principal = { userId: "l", email: "lead@north.example", name: "Lead", grants: [{ role: "agency_lead", partnerships: [], agency: "CSC" }] };

beforeAll(async () => {
  await loadHandWorkedWorld(ctx.db);
});
afterAll(async () => {
  await closeSharedChromium();
});

describe("drawing a sample", () => {
  it("draws the same records from the same seed, and different ones from another", () => {
    const pool = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(drawSample(pool, 5, 42)).toEqual(drawSample(pool, 5, 42));
    expect(drawSample(pool, 5, 42)).not.toEqual(drawSample(pool, 5, 43));
    expect(new Set(drawSample(pool, 100, 7)).size).toBe(100);
    expect(drawSample([1, 2], 5, 1).sort()).toEqual([1, 2]);
  });

  it("stores a reproducible sample of a partnership's records, narrowed by theme", async () => {
    const request = { partnerships: ["north"], from: "2025-Q4", to: "2025-Q4", themes: [], size: 4, seed: 12345 };
    const first = await drawScrutinySample(ctx.db, SCRUTINEER, request);
    const again = await drawScrutinySample(ctx.db, SCRUTINEER, request);
    // Eligible: the 11 escalations raised in Q4 2025 (hand-worked in tests/board-report.test.ts).
    expect([first.eligible, first.size, first.seed]).toEqual([11, 4, 12345]);
    const refs = async (id: number) => (await getScrutinySample(ctx.db, SCRUTINEER, id)).records.map((r) => r.recordRef);
    expect(await refs(again.id)).toEqual(await refs(first.id));
    // Thresholds in Q4: E1 E2 E3 E4, all four drawn.
    const thresholds = await drawScrutinySample(ctx.db, SCRUTINEER, { ...request, themes: ["thresholds"], size: 10 });
    expect(thresholds.eligible).toBe(4);
    expect((await refs(thresholds.id)).sort()).toEqual(["E1", "E2", "E3", "E4"]);
  });

  it("is not open to an agency lead, whose view is its own agency's records", async () => {
    await expect(drawScrutinySample(ctx.db, LEAD, { partnerships: ["north"], from: "2025-Q4", to: "2025-Q4", themes: [], size: 2 })).rejects.toThrow(/may not see or change/);
  });
});

describe("findings", () => {
  it("round-trip, export formula-safe as CSV and as Arrow, and feed the board report", async () => {
    const sample = await drawScrutinySample(ctx.db, SCRUTINEER, { partnerships: ["north"], from: "2025-Q4", to: "2025-Q4", themes: [], size: 3, seed: 99 });
    await recordFinding(ctx.db, SCRUTINEER, { sampleId: sample.id, position: 1, rating: "good", note: "Escalated promptly; outcome recorded." });
    await recordFinding(ctx.db, SCRUTINEER, { sampleId: sample.id, position: 2, rating: "requires_improvement", note: "=HYPERLINK(\"http://example.invalid\")" });
    const read = await getScrutinySample(ctx.db, SCRUTINEER, sample.id);
    expect(read.records.map((r) => [r.position, r.rating, r.ratedBy])).toEqual([
      [1, "good", SCRUTINEER.email],
      [2, "requires_improvement", SCRUTINEER.email],
      [3, null, null],
    ]);
    const csv = scrutinySampleCsv(read);
    expect(csv).toContain('"\'=HYPERLINK(""http://example.invalid"")"');
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(4);
    const table = tableFromIPC(scrutinySampleArrow(read));
    expect([table.numRows, table.getChild("rating")!.get(1)]).toEqual([3, "requires_improvement"]);
    // The exact board report counts the findings recorded by its as-of date: 1 good, 1 requiring improvement.
    const today = todayInLondon();
    const doc = await getBoardDocument(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf: today, published: false });
    const scrutiny = doc.sections.find((s) => s.id === "scrutiny")!;
    const table2 = scrutiny.blocks.find((b) => b.kind === "table");
    expect(table2 && table2.kind === "table" && table2.rows).toEqual([["good", 1], ["adequate", 0], ["requires improvement", 1], ["inadequate", 0]]);
    // Published, the counts of 1 are hidden.
    const published = await getBoardDocument(ctx.db, { partnerships: ["north"], quarter: "2025-Q4", asOf: today, published: true });
    const hidden = published.sections.find((s) => s.id === "scrutiny")!.blocks.find((b) => b.kind === "table");
    expect(hidden && hidden.kind === "table" && hidden.rows.map((r) => r[1])).toEqual(["c", 0, "c", 0]);
  });
});
