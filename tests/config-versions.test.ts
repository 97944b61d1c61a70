/**
 * Procedure versions in the reference data (IMPORT-FORMAT.md, "Reference data"): `config export`
 * writes what `config load` takes, so export → load → export gives the same bytes (from demo.json's
 * shared procedures, and from a document with versions); validation names the field and value; a
 * load that would leave loaded records beyond their version's stages is refused whole and changes
 * nothing; each uploaded row is checked against the version in force on its concern date; the
 * stage columns up to stage10_on stage, merge and undo; templates carry the current version's stages.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows, type Db } from "../db/client";
import { undoBatch } from "../importers/batches";
import { uploadTemplate } from "../importers/templates";
import type { Principal } from "../server/access/permissions";
import { englandAndWalesBankHolidays } from "../server/calendar/bankHolidays";
import { loadReferenceData, parseReferenceData, parseReferenceDataJson, ReferenceDataError, versionsOf } from "../server/reference/config";
import { exportReferenceData } from "../server/reference/configExport";
import { bankHolidayCorrections } from "../server/reference/manage/bankHolidays";
import { serveThrough } from "../wiring/door";
import { GET as templateRoute } from "../app/api/uploads/templates/[kind]/route";
import { openTestWarehouse, useTestWarehouse } from "./support/db";
import { TEST_ADMIN } from "./support/principals";
import { importText } from "./support/records";
import { demoReference } from "./support/reference";

const demo = useTestWarehouse();
const world = useTestWarehouse();

function refused(doc: unknown): string[] {
  try {
    parseReferenceData(doc);
  } catch (error) {
    if (error instanceof ReferenceDataError) return error.problems;
    throw error;
  }
  throw new Error("expected the document to be refused");
}

/** Loads the export's text into a new, empty warehouse and exports that one. */
async function exportAfterLoadingIntoAnEmptyWarehouse(text: string): Promise<string> {
  const { test, dispose } = await openTestWarehouse();
  try {
    await loadReferenceData(test.db, parseReferenceDataJson(text), "test");
    return (await exportReferenceData(test.db)).text;
  } finally {
    await dispose();
  }
}

const stage = (number: number, name: string, limit: { limitWorkingDays: number } | { limitCalendarDays: number }, level?: string) => ({
  number,
  name,
  ...(level ? { level } : {}),
  ...limit,
});

/**
 * East revised its procedure twice: three stages (from the calendar's first day), six from
 * 1 September 2024 (a 14-calendar-day panel at stage 4, a 20-working-day total), four from 2029.
 * West has one ten-stage procedure; South one version that names a later first day.
 */
const VERSIONED = {
  partnerships: [
    {
      code: "east",
      name: "East Safeguarding Children Partnership",
      procedures: [
        {
          name: "East procedure (2019)",
          stages: [stage(1, "Practitioners", { limitWorkingDays: 5 }, "practitioners"), stage(2, "Managers", { limitWorkingDays: 5 }), stage(3, "Partnership", { limitWorkingDays: 10 })],
        },
        {
          effectiveFrom: "2024-09-01",
          name: "East procedure (2024)",
          stageWord: "step",
          learningWithinMonths: 2,
          totalLimitWorkingDays: 20,
          stages: [
            stage(1, "Practitioners", { limitWorkingDays: 2 }),
            stage(2, "Team managers", { limitWorkingDays: 2 }),
            stage(3, "Service managers", { limitWorkingDays: 3 }),
            stage(4, "Partnership panel", { limitCalendarDays: 14 }, "partnership"),
            stage(5, "Directors", { limitWorkingDays: 5 }),
            stage(6, "Independent scrutineer", { limitWorkingDays: 5 }),
          ],
        },
        {
          effectiveFrom: "2029-01-01",
          name: "East procedure (2029)",
          stages: [1, 2, 3, 4].map((k) => stage(k, `Level ${k}`, { limitWorkingDays: 3 })),
        },
      ],
      chairFollowUpLimitWorkingDays: 7,
      closureDays: ["2025-12-29"],
      quarterLabels: "financial",
      disclosureProfile: "nhs",
      targets: { overdueAtMonthEnd: 3, withinLimitPct: 80 },
      themes: [{ code: "court", label: "Court proceedings", synonyms: ["care proceedings"] }],
    },
    {
      code: "west",
      name: "West Safeguarding Children Partnership",
      procedure: { name: "West ten-stage procedure", stages: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => stage(k, `Stage ${k}`, { limitWorkingDays: 1 })) },
    },
    {
      code: "south",
      name: "South Safeguarding Children Partnership",
      procedures: [{ effectiveFrom: "2018-04-01", name: "South procedure", stages: [stage(1, "Resolution meeting", { limitCalendarDays: 10 })] }],
    },
  ],
  agencies: [
    { code: "POL", name: "County Police", sector: "police", partnerships: ["west", "east"], aliases: ["Police", "Constabulary"] },
    { code: "EHS", name: "East Health Services", sector: "health", partnerships: ["east"] },
    { code: "ESC", name: "East Social Care", sector: "social_care", partnerships: ["east"] },
    { code: "WSC", name: "West Social Care", sector: "social_care", partnerships: ["west", "south"] },
  ],
  bankHolidays: { add: [{ date: "2029-12-31", name: "Deployment closure day" }], remove: ["2030-08-26"] },
};

describe("validation names the field and the value", () => {
  const withVersions = (procedures: unknown[], extra: Record<string, unknown> = {}) => ({
    partnerships: [{ code: "north", name: "North", procedures, ...extra }],
  });
  const one = (stages: unknown[]) => withVersions([{ name: "North procedure", stages }]);
  const where = "partnerships[0].procedures[0]";

  it("a stage with both limits, or neither", () => {
    expect(refused(one([stage(1, "Practitioners", { limitWorkingDays: 2 }), { number: 2, name: "Panel", limitWorkingDays: 2, limitCalendarDays: 14 }]))).toEqual([
      `${where}.stages[1].limitCalendarDays: stage 2 ("Panel") gives limitCalendarDays as well as limitWorkingDays (2); ` +
        "a stage's limit is in working days or in calendar days, so give only one of them (value: 14)",
    ]);
    expect(refused(one([stage(1, "Practitioners", { limitWorkingDays: 2 }), { number: 2, name: "Panel" }]))).toEqual([
      `${where}.stages[1]: stage 2 ("Panel") has no limit; give limitWorkingDays or limitCalendarDays (whole days, 0 or more) (value: {"number":2,"name":"Panel"})`,
    ]);
  });

  it("effective dates that do not increase, or are missing after the first", () => {
    const v = (name: string, effectiveFrom?: string) => ({ ...(effectiveFrom ? { effectiveFrom } : {}), name, stages: [stage(1, "Only", { limitWorkingDays: 2 })] });
    expect(refused(withVersions([v("2019"), v("2024", "2024-09-01"), v("2023", "2023-04-01")]))).toEqual([
      "partnerships[0].procedures[2].effectiveFrom: must be after the previous version's effectiveFrom (2024-09-01): " +
        'versions are listed oldest first, each in force from a later day than the one before (value: "2023-04-01")',
    ]);
    // The first version is in force from the calendar's first day, so a second may not name that day either.
    expect(refused(withVersions([v("2019"), v("again", "2015-01-01")]))).toEqual([
      "partnerships[0].procedures[1].effectiveFrom: must be after the previous version's effectiveFrom (2015-01-01): " +
        'versions are listed oldest first, each in force from a later day than the one before (value: "2015-01-01")',
    ]);
    expect(refused(withVersions([v("2019"), v("2024")]))).toEqual([
      'partnerships[0].procedures[1].effectiveFrom: is required on every version after the first: the day (yyyy-mm-dd) from which "2024" is in force',
    ]);
  });

  it("eleven stages", () => {
    const eleven = Array.from({ length: 11 }, (_, i) => stage(i + 1, `Stage ${i + 1}`, { limitWorkingDays: 1 }));
    expect(refused(one(eleven))).toEqual([
      `${where}.stages: has 11 stages; a procedure version has at most 10 (the upload formats carry stage1_on to stage10_on)`,
    ]);
  });

  it("an unknown target, and a percentage over 100", () => {
    const targets = { withinLimit: 80, resolvedAtLowestLevelPct: 120, overdueAtMonthEnd: 250 };
    expect(refused(withVersions([{ name: "North procedure", stages: [stage(1, "Only", { limitWorkingDays: 2 })] }], { targets }))).toEqual([
      "partnerships[0].targets.withinLimit: is not a measure with a target; use one of withinLimitPct, resolvedAtLowestLevelPct, " +
        "overdueAtMonthEnd, chairFollowUpWithinLimitPct (value: 80)",
      "partnerships[0].targets.resolvedAtLowestLevelPct: is a percentage, so at most 100 (value: 120)",
    ]);
  });

  it("still takes a single procedure, and a shared procedure named by its code", () => {
    const single = parseReferenceData({ partnerships: [{ code: "north", name: "North", procedure: { name: "North procedure", stages: [stage(1, "Only", { limitCalendarDays: 7 })] } }] });
    expect(versionsOf(single, single.partnerships[0]!)).toEqual([
      {
        effectiveFrom: "2015-01-01", name: "North procedure", stageWord: "stage", learningWithinMonths: 1, totalLimitWorkingDays: null,
        stages: [{ number: 1, name: "Only", level: null, limitDays: 7, limitUnit: "calendar" }],
      },
    ]);
    const shared = demoReference();
    expect(versionsOf(shared, shared.partnerships.find((p) => p.code === "oxfordshire")!).map((v) => [v.name, v.stageWord, v.stages.length])).toEqual([
      ["Oxfordshire: escalation and resolving professional concerns and disagreements policy (July 2024)", "step", 5],
    ]);
  });
});

describe("config export from demo.json (shared procedures)", () => {
  it("writes each partnership's versions out, and export → load → export gives the same bytes", async () => {
    const data = demoReference();
    await loadReferenceData(demo.db, data, "test");
    const first = await exportReferenceData(demo.db);
    expect(first.warnings).toEqual([]);
    expect(first.text.endsWith("}\n")).toBe(true);
    const exported = parseReferenceDataJson(first.text);
    // The shared "hips" becomes each HIPS partnership's own one version: the same versions as the file gives.
    expect(exported.procedures).toEqual([]);
    expect(exported.partnerships.map((p) => p.code)).toEqual(["hampshire", "isle-of-wight", "oxfordshire", "portsmouth", "southampton"]);
    for (const p of data.partnerships) {
      expect(versionsOf(exported, exported.partnerships.find((e) => e.code === p.code)!)).toEqual(versionsOf(data, p));
    }
    const hampshire = (first.document.partnerships as Array<Record<string, unknown>>)[0]!;
    expect(hampshire).toMatchObject({ code: "hampshire", closureDays: ["2025-12-29"], quarterLabels: "calendar", disclosureProfile: "dfe", targets: {}, themes: [] });
    // In force from the calendar's first day: the first version's effectiveFrom is left out.
    expect(Object.keys((hampshire.procedures as Array<Record<string, unknown>>)[0]!)).toEqual(["name", "stageWord", "stages", "learningWithinMonths"]);
    expect(first.document.bankHolidays).toEqual({ add: [], remove: [] });
    expect(exported.agencies).toHaveLength(29);

    await loadReferenceData(demo.db, exported, "test");
    expect((await exportReferenceData(demo.db)).text).toBe(first.text);
    expect(await exportAfterLoadingIntoAnEmptyWarehouse(first.text)).toBe(first.text);
  });
});

describe("a partnership with procedure versions", () => {
  it("exports every field as config load takes it, and export → load → export gives the same bytes", async () => {
    // 26 August 2030 (the last Monday of August) is a computed Summer bank holiday, so removing it is a correction.
    expect(englandAndWalesBankHolidays().find((h) => h.date === "2030-08-26")).toMatchObject({ name: "Summer bank holiday", source: "computed" });
    await loadReferenceData(world.db, parseReferenceData(VERSIONED), "test");
    const first = await exportReferenceData(world.db);
    expect(first.warnings).toEqual([]);
    const [east, south, west] = first.document.partnerships as Array<Record<string, unknown>>;
    expect(east).toEqual({
      code: "east",
      name: "East Safeguarding Children Partnership",
      procedures: [
        {
          name: "East procedure (2019)", stageWord: "stage", learningWithinMonths: 1,
          stages: [
            { number: 1, name: "Practitioners", level: "practitioners", limitWorkingDays: 5 },
            { number: 2, name: "Managers", limitWorkingDays: 5 },
            { number: 3, name: "Partnership", limitWorkingDays: 10 },
          ],
        },
        {
          effectiveFrom: "2024-09-01", name: "East procedure (2024)", stageWord: "step", learningWithinMonths: 2, totalLimitWorkingDays: 20,
          stages: [
            { number: 1, name: "Practitioners", limitWorkingDays: 2 },
            { number: 2, name: "Team managers", limitWorkingDays: 2 },
            { number: 3, name: "Service managers", limitWorkingDays: 3 },
            { number: 4, name: "Partnership panel", level: "partnership", limitCalendarDays: 14 },
            { number: 5, name: "Directors", limitWorkingDays: 5 },
            { number: 6, name: "Independent scrutineer", limitWorkingDays: 5 },
          ],
        },
        {
          effectiveFrom: "2029-01-01", name: "East procedure (2029)", stageWord: "stage", learningWithinMonths: 1,
          stages: [1, 2, 3, 4].map((k) => ({ number: k, name: `Level ${k}`, limitWorkingDays: 3 })),
        },
      ],
      chairFollowUpLimitWorkingDays: 7,
      closureDays: ["2025-12-29"],
      quarterLabels: "financial",
      disclosureProfile: "nhs",
      // In the order METRICS.md lists the measures, whatever order the file gave.
      targets: { withinLimitPct: 80, overdueAtMonthEnd: 3 },
      themes: [{ code: "court", label: "Court proceedings", synonyms: ["care proceedings"] }],
    });
    expect(Object.keys((east!.targets as object))).toEqual(["withinLimitPct", "overdueAtMonthEnd"]);
    // A first version that names a later day than the calendar's first keeps it (it is in force from the first day all the same).
    expect((south!.procedures as Array<Record<string, unknown>>)[0]).toEqual({
      effectiveFrom: "2018-04-01", name: "South procedure", stageWord: "stage", learningWithinMonths: 1,
      stages: [{ number: 1, name: "Resolution meeting", limitCalendarDays: 10 }],
    });
    expect((west!.procedures as Array<Record<string, unknown>>)).toHaveLength(1);
    expect(((west!.procedures as Array<{ stages: unknown[] }>)[0]!.stages)).toHaveLength(10);
    expect(first.document.agencies).toEqual([
      { code: "EHS", name: "East Health Services", sector: "health", partnerships: ["east"], aliases: [] },
      { code: "ESC", name: "East Social Care", sector: "social_care", partnerships: ["east"], aliases: [] },
      { code: "POL", name: "County Police", sector: "police", partnerships: ["east", "west"], aliases: ["Constabulary", "Police"] },
      { code: "WSC", name: "West Social Care", sector: "social_care", partnerships: ["south", "west"], aliases: [] },
    ]);
    expect(first.document.bankHolidays).toEqual({ add: [{ date: "2029-12-31", name: "Deployment closure day" }], remove: ["2030-08-26"] });
    // A stage on one line, as people write the file by hand.
    expect(first.text).toContain('{ "number": 4, "name": "Partnership panel", "level": "partnership", "limitCalendarDays": 14 }');

    await loadReferenceData(world.db, parseReferenceDataJson(first.text), "test");
    expect((await exportReferenceData(world.db)).text).toBe(first.text);
    expect(await exportAfterLoadingIntoAnEmptyWarehouse(first.text)).toBe(first.text);
  });

  const STAGES = Array.from({ length: 10 }, (_, i) => `stage${i + 1}_on`);
  const HEADER = ["record_ref", "partnership", "raising_agency", "receiving_agency", "concern_arose_on", "themes", ...STAGES, "status", "closed_on"].join(",");
  /** A row: ref, partnership, raising, receiving, concern date, stage dates (stage 1 first), status, closed. */
  const line = (ref: string, partnership: string, raising: string, receiving: string, arose: string, stages: string[], status = "open", closed = "") =>
    [ref, partnership, raising, receiving, arose, "thresholds", ...STAGES.map((_, i) => stages[i] ?? ""), status, closed].join(",");
  const upload = (lines: string[]) => importText(world.db, `${HEADER}\n${lines.join("\n")}\n`, { kind: "escalations", agency: "POL" });

  async function stagesOf(db: Db, ref: string): Promise<Array<string | null> | undefined> {
    const [row] = await queryRows<{ stages: Array<string | null> }>(
      db,
      sql.raw(`select json_build_array(${STAGES.map((c) => `${c}::text`).join(", ")}) as stages from escalations where record_ref = '${ref}'`),
    );
    return row?.stages;
  }

  it("checks each row against the version in force on its concern date", async () => {
    const result = await upload([
      /* 2 */ line("E-1", "east", "POL", "EHS", "2024-08-30", ["2024-09-02", "2024-09-03", "2024-09-04", "2024-09-05"]),
      /* 3 */ line("E-2", "east", "POL", "EHS", "2024-09-02", ["2024-09-03", "2024-09-04", "2024-09-05", "2024-09-10", "2024-09-11", "2024-09-12"]),
      /* 4 */ line("E-3", "east", "POL", "EHS", "2024-09-02", ["2024-09-03", "", "", "", "", "", "2024-09-20"]),
      /* 5 */ line("E-4", "east", "POL", "EHS", "31/02/2025", ["", "", "", "", "", "", "2025-03-20"]),
      /* 6 */ line("E-5", "east", "POL", "EHS", "2024-09-02", ["2024-09-03", "", "", "2024-09-10"]),
    ]);
    if (result.outcome !== "loaded") throw new Error("expected a load");
    // E-2 (six stages under the 2024 version) and E-5 (stage 4 dated, stages 2 and 3 skipped) load; E-1, E-3 and E-4 are rejected.
    expect(result.counts).toEqual({ loaded: 2, replaced: 0, unchanged: 0, rejected: 3 });
    const byRow = Object.fromEntries(result.rejects.map((r) => [r.rowNumber, r.faults.map((f) => `${f.column} | ${f.value} | ${f.reason}`)]));
    expect(byRow).toEqual({
      // Raised on 30 August 2024, the day before the 2024 version: judged by the 2019 version's three stages.
      2: ['stage4_on | 2024-09-05 | is for stage 4, but "East procedure (2019)", the procedure version that judges this escalation (in force until 31 August 2024), has 3 stages'],
      4: ['stage7_on | 2024-09-20 | is for step 7, but "East procedure (2024)", the procedure version that judges this escalation (in force from 1 September 2024 until 31 December 2028), has 6 steps'],
      // No concern date to choose a version by: stage 7 is beyond every one of East's versions (at most 6).
      5: [
        "concern_arose_on | 31/02/2025 | is not a real date",
        "stage7_on | 2025-03-20 | is for stage 7, but no version of East Safeguarding Children Partnership's procedure has more than 6 stages",
      ],
    });
    // The same stage4_on column that E-1 may not use loads for E-5, raised under the longer 2024 version.
    expect(await stagesOf(world.db, "E-5")).toEqual(["2024-09-03", null, null, "2024-09-10", null, null, null, null, null, null]);
    expect(await stagesOf(world.db, "E-2")).toEqual(["2024-09-03", "2024-09-04", "2024-09-05", "2024-09-10", "2024-09-11", "2024-09-12", null, null, null, null]);
  });

  it("stages, merges and undoes stage6_on … stage10_on like every other column", async () => {
    const first = await upload([
      line("S-6", "east", "POL", "EHS", "2025-03-03", ["2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07", "2025-03-10", "2025-03-11"], "resolved", "2025-03-12"),
      line("W-10", "west", "POL", "WSC", "2025-03-03", ["2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07", "2025-03-10", "2025-03-11", "2025-03-12", "2025-03-13", "2025-03-14", "2025-03-17"]),
    ]);
    if (first.outcome !== "loaded" || !first.batchId) throw new Error("expected a load");
    expect(first.counts).toEqual({ loaded: 2, replaced: 0, unchanged: 0, rejected: 0 });
    const sixStages = ["2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07", "2025-03-10", "2025-03-11", null, null, null, null];
    const tenStages = ["2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07", "2025-03-10", "2025-03-11", "2025-03-12", "2025-03-13", "2025-03-14", "2025-03-17"];
    expect(await stagesOf(world.db, "S-6")).toEqual(sixStages);
    expect(await stagesOf(world.db, "W-10")).toEqual(tenStages);

    // A correction moves stage 6 and stage 10; the earlier version is kept with its stage dates.
    const second = await upload([
      line("S-6", "east", "POL", "EHS", "2025-03-03", ["2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07", "2025-03-10", "2025-03-13"], "resolved", "2025-03-13"),
      line("W-10", "west", "POL", "WSC", "2025-03-03", [...tenStages.slice(0, 9) as string[], "2025-03-18"]),
    ]);
    if (second.outcome !== "loaded" || !second.batchId) throw new Error("expected a load");
    expect(second.counts).toEqual({ loaded: 0, replaced: 2, unchanged: 0, rejected: 0 });
    expect((await stagesOf(world.db, "S-6"))![5]).toBe("2025-03-13");
    expect((await stagesOf(world.db, "W-10"))![9]).toBe("2025-03-18");
    const kept = await queryRows<{ record_ref: string; stage6: string | null; stage10: string | null }>(
      world.db,
      sql`select record_ref, stage6_on::text as stage6, stage10_on::text as stage10 from escalation_versions
          where superseded_by_batch_id = ${second.batchId} order by record_ref`,
    );
    expect(kept).toEqual([
      { record_ref: "S-6", stage6: "2025-03-11", stage10: null },
      { record_ref: "W-10", stage6: "2025-03-11", stage10: "2025-03-17" },
    ]);

    // Undoing the correction restores the first upload's stage dates; undoing that removes the records.
    expect(await undoBatch(world.db, second.batchId, "test")).toMatchObject({ removed: 0, restored: 2 });
    expect(await stagesOf(world.db, "S-6")).toEqual(sixStages);
    expect(await stagesOf(world.db, "W-10")).toEqual(tenStages);
    expect(await undoBatch(world.db, first.batchId, "test")).toMatchObject({ removed: 2, restored: 0 });
    expect(await stagesOf(world.db, "S-6")).toBeUndefined();
  });

  it("refuses, as a whole, a load that would leave loaded records beyond their version's stages, and changes nothing", async () => {
    // E-2 (stage 6 dated) is loaded under the 2024 version; E-7 and E-8 date stage 6 too.
    const more = await upload([
      line("E-7", "east", "POL", "ESC", "2025-01-06", ["2025-01-07", "2025-01-08", "2025-01-09", "2025-01-10", "2025-01-13", "2025-01-14"]),
      line("E-8", "east", "POL", "ESC", "2025-02-03", ["2025-02-04", "", "", "", "", "2025-02-10"]),
    ]);
    expect(more).toMatchObject({ outcome: "loaded", counts: { loaded: 2, rejected: 0 } });
    const before = await exportReferenceData(world.db);
    const [auditBefore] = await queryRows<{ n: number }>(world.db, sql`select count(*)::int as n from audit_log`);

    // The 2024 version loses its sixth stage; the same file also renames a partnership, an agency and an alias.
    const shorter = structuredClone(VERSIONED);
    shorter.partnerships[0]!.procedures![1]!.stages = shorter.partnerships[0]!.procedures![1]!.stages.slice(0, 5);
    shorter.partnerships[0]!.name = "East and Coast Safeguarding Children Partnership";
    shorter.agencies[0]!.name = "Coast Police";
    shorter.agencies[0]!.aliases = ["Coast Constabulary"];
    await expect(loadReferenceData(world.db, parseReferenceData(shorter), "test")).rejects.toThrow(
      new ReferenceDataError([
        "3 loaded escalation(s) would have a stage date beyond the stages of the procedure version that judges them, so nothing was changed. " +
          'The first: east E-2 (stage 6 dated; "East procedure (2024)" has 5), east E-7 (stage 6 dated; "East procedure (2024)" has 5), ' +
          'east E-8 (stage 6 dated; "East procedure (2024)" has 5). Keep those stages in the version, or correct the records first.',
      ]).message,
    );
    // Versions, partnerships, agencies and bank holidays exactly as before; no audit row.
    expect((await exportReferenceData(world.db)).text).toBe(before.text);
    const [auditAfter] = await queryRows<{ n: number }>(world.db, sql`select count(*)::int as n from audit_log`);
    expect(auditAfter!.n).toBe(auditBefore!.n);
  });

  describe("upload templates carry the stage columns of the version in force", () => {
    const header = (stages: number) =>
      ["record_ref", "partnership", "raising_agency", "receiving_agency", "child_ref", "concern_arose_on", "themes",
        ...Array.from({ length: stages }, (_, i) => `stage${i + 1}_on`), "status", "closed_on", "learning_disseminated_on"].join(",");

    async function template(principal: Principal, query = "", kind = "escalations.csv"): Promise<{ status: number; lines: string[] }> {
      const restore = serveThrough({
        db: async () => world.db,
        uploadsDb: async () => world.db,
        auth: async () => {
          throw new Error("not used");
        },
        principal: async () => principal,
      });
      try {
        const response = await templateRoute(new Request(`http://127.0.0.1:3000/api/uploads/templates/${kind}${query}`), { params: Promise.resolve({ kind }) });
        return { status: response.status, lines: (await response.text()).split("\r\n") };
      } finally {
        restore();
      }
    }
    const uploader = (agency: string): Principal => ({ userId: agency, email: `${agency}@test.example`, name: agency, grants: [{ role: "uploader", partnerships: [], agency }] });

    it("a partnership's current version; an agency in several partnerships, the most stages among them", async () => {
      // East's version in force today is the 2024 one (six steps; the 2029 one is not yet in force).
      const east = await template(uploader("EHS"));
      expect(east.status).toBe(200);
      expect(east.lines[0]).toBe(header(6));
      // The example row is East's, with East's agencies, so that it would load.
      expect(east.lines[1]).toBe("ESC-2025-0001,east,EHS,ESC,,03/03/2025,thresholds; information_sharing,04/03/2025,06/03/2025,,,,,resolved,06/03/2025,");
      // POL is in East (6) and West (10): ten stage columns.
      expect((await template(uploader("POL"))).lines[0]).toBe(header(10));
      expect((await template(TEST_ADMIN, "?partnership=east")).lines[0]).toBe(header(6));
      expect((await template(TEST_ADMIN, "?agency=WSC")).lines[0]).toBe(header(10));
      expect((await template(TEST_ADMIN, "?partnership=south")).lines[0]).toBe(header(1));
      // Other kinds have no stage columns.
      expect((await template(uploader("EHS"), "", "dissent.csv")).lines[0]).toBe(
        "record_ref,partnership,conference_date,conference_type,dissenting_agency,dissenting_role,decision,themes,chair_followup_on,status,escalation_ref,child_ref",
      );
      const unknown = await template(TEST_ADMIN, "?partnership=nowhere");
      expect(unknown.status).toBe(400);
      expect(unknown.lines.join("")).toContain('There is no partnership \\"nowhere\\": give a partnership\'s code.');
    });

    it("follows the version in force on the day: East had three stages before September 2024, four from 2029", async () => {
      const columns = async (today: string) =>
        (await uploadTemplate(world.db, "escalations", { partnership: "east", grants: [], today })).columns.filter((c) => /^stage\d+_on$/.test(c)).length;
      expect(await columns("2024-08-31")).toBe(3);
      expect(await columns("2024-09-01")).toBe(6);
      expect(await columns("2029-01-01")).toBe(4);
    });
  });
});

const corrections = useTestWarehouse();

describe("bank-holiday corrections", () => {
  it("survive a config load whose file says nothing of bank holidays, and go when a file lists none", async () => {
    const doc = demoReference();
    await loadReferenceData(corrections.db, { ...doc, bankHolidays: { add: [{ date: "2029-12-31", name: "Deployment closure day" }], remove: ["2030-08-26"] } }, "test");
    const expected = { add: [{ date: "2029-12-31", name: "Deployment closure day" }], remove: ["2030-08-26"] };
    expect(await bankHolidayCorrections(corrections.db)).toEqual(expected);
    // demo.json has no bankHolidays: the corrections stay.
    await loadReferenceData(corrections.db, doc, "test");
    expect(await bankHolidayCorrections(corrections.db)).toEqual(expected);
    await loadReferenceData(corrections.db, { ...doc, bankHolidays: { add: [], remove: [] } }, "test");
    expect(await bankHolidayCorrections(corrections.db)).toEqual({ add: [], remove: [] });
  });
});
