/**
 * The business manager's reference-data services (issue 17): a procedure version saved re-judges
 * the figures, its preview says which beforehand (computed, and nothing changed), refusals change
 * nothing, and an admin scoped to north changes only north's (an agency north shares with south keeps
 * its south membership). Then a new deployment's first admin creates its first partnership.
 *
 * The world: tests/support/reference.ts's small world (north: three stages of 2 working days;
 * POL and HLT shared with south, CSC north's own, SCH south's), and six escalations CSC raised with
 * HLT in north, uploaded by CSC. Dates, with the working days between them (no holiday falls inside):
 *   A1 concern Mon 6 Oct 2025, stage 1 Fri 10 Oct (4 wd), resolved that day;
 *   A2 concern Mon 3 Nov, stage 1 Fri 7 Nov (4 wd), resolved that day;
 *   A3 concern Mon 10 Nov, stage 1 Tue 11 Nov (1 wd), resolved that day;
 *   A5 concern Mon 17 Nov, stage 1 Tue 18 Nov (1 wd), stage 2 Wed 19 Nov (1 wd), resolved that day;
 *   A4 concern Mon 12 Jan 2026, open, no stage dated: on Thu 15 Jan its stage 1 has run 3 wd (13, 14, 15);
 *   N1 concern Mon 3 Jun 2024, theme "neglect" (north's own), withdrawn the next day.
 */
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Db } from "../db/client";
import { MAX_STAGES } from "../db/schema";
import { createAuth } from "../server/access/auth";
import type { Principal } from "../server/access/permissions";
import { ForbiddenError } from "../server/access/permissions";
import { NotFoundError } from "../server/errors";
import { getBoardReport } from "../server/metrics/boardReport";
import { SECTORS as CONFIG_SECTORS, TARGET_MEASURES as CONFIG_TARGETS } from "../server/reference/config";
import { listManagedAgencies, saveAgency } from "../server/reference/manage/agencies";
import { getBankHolidayCorrections, saveBankHolidays } from "../server/reference/manage/bankHolidays";
import { RefusedChangeError } from "../server/reference/manage/common";
import { listManagedPartnerships, savePartnership } from "../server/reference/manage/partnerships";
import { MAX_STAGES as FORM_MAX_STAGES, SECTORS, TARGET_MEASURES, type VersionInput } from "../server/reference/manage/schemas";
import { getSetup } from "../server/reference/manage/setup";
import { saveThemes } from "../server/reference/manage/themes";
import { deleteVersion, previewVersion, saveVersion } from "../server/reference/manage/versions";
import { listProcedureVersions } from "../server/reference/procedureVersions";
import { createCaller } from "../wiring/trpc/router";
import { useTestWarehouse } from "./support/db";
import { TEST_ADMIN } from "./support/principals";
import { escalationRow, loadEscalations } from "./support/records";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
const NORTH_ADMIN: Principal = { userId: "north-admin", email: "admin@north.example", name: "North admin", grants: [{ role: "admin", partnerships: ["north"], agency: null }] };

const stage = (number: number, name: string, limitDays: number, limitUnit: "working" | "calendar" = "working") => ({ number, name, level: null, limitDays, limitUnit });
/** North's procedure as loaded (the first version). */
const V1: VersionInput = {
  effectiveFrom: "2015-01-01", name: "Small procedure", stageWord: "stage", learningWithinMonths: 1, totalLimitWorkingDays: null,
  stages: [stage(1, "Practitioners", 2), stage(2, "Managers", 2), stage(3, "Partnership", 2)],
};
/** The revision: from 1 November 2025, stage 1 has 5 working days. */
const V2: VersionInput = { ...V1, effectiveFrom: "2025-11-01", name: "Small procedure, 2025 revision", stages: [stage(1, "Practitioners", 5), stage(2, "Managers", 2), stage(3, "Partnership", 2)] };

const REPORT = { partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-15" };

async function versionsOf(db: Db, code: string) {
  return (await listProcedureVersions(db, [code])).map(({ effectiveFrom, name, stages }) => ({ effectiveFrom, name, stages: stages.map((s) => s.limitDays) }));
}

async function lastAudit(db: Db, action: string) {
  const [row] = await queryRows<{ actor: string; outcome: string; scope: unknown; details: Record<string, unknown> }>(
    db,
    sql`select actor, outcome, scope, details from audit_log where action = ${action} order by id desc limit 1`,
  );
  return row;
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the change to be refused");
}

let auth: ReturnType<typeof createAuth> | undefined;
const caller = (principal: Principal) => createCaller({ db: ctx.db, principal, auth: (auth ??= createAuth(ctx.db, { secret: "reference-admin-secret-reference-admin-01" })) });

beforeAll(async () => {
  await loadSmallWorld(ctx.db);
  await saveThemes(ctx.db, NORTH_ADMIN, { partnership: "north", themes: [{ code: "neglect", label: "Neglect", synonyms: ["neglectful care"] }] });
  const row = (record_ref: string, values: Partial<Parameters<typeof escalationRow>[0]>) =>
    escalationRow({ record_ref, partnership: "north", raising_agency: "CSC", receiving_agency: "HLT", themes: "thresholds", ...values });
  await loadEscalations(ctx.db, "CSC", [
    row("A1", { concern_arose_on: "2025-10-06", stage1_on: "2025-10-10", status: "resolved", closed_on: "2025-10-10" }),
    row("A2", { concern_arose_on: "2025-11-03", stage1_on: "2025-11-07", status: "resolved", closed_on: "2025-11-07" }),
    row("A3", { concern_arose_on: "2025-11-10", stage1_on: "2025-11-11", status: "resolved", closed_on: "2025-11-11" }),
    row("A5", { concern_arose_on: "2025-11-17", stage1_on: "2025-11-18", stage2_on: "2025-11-19", status: "resolved", closed_on: "2025-11-19" }),
    row("A4", { concern_arose_on: "2026-01-12", status: "open" }),
    row("N1", { concern_arose_on: "2024-06-03", themes: "neglect", status: "withdrawn", closed_on: "2024-06-04" }),
  ]);
});

describe("the forms' schemas", () => {
  it("keep the server's lists (they are copied so a client form can import them)", () => {
    expect(FORM_MAX_STAGES).toBe(MAX_STAGES);
    expect(SECTORS).toEqual(CONFIG_SECTORS);
    expect(TARGET_MEASURES).toEqual(CONFIG_TARGETS);
  });
});

describe("a procedure version, previewed and saved", () => {
  it("judges 2025-Q4 by the one version before any revision", async () => {
    const report = await getBoardReport(ctx.db, REPORT);
    // Stage 1 completions in Q4: A1 4 ✗, A2 4 ✗, A3 1 ✓, A5 1 ✓ (limit 2): 4 completed, 2 within. Stage 2: A5 1 ✓.
    expect(report.escalations.timescale).toEqual([
      { stage: 1, limitWorkingDays: 2, completed: 4, withinLimit: 2 },
      { stage: 2, limitWorkingDays: 2, completed: 1, withinLimit: 1 },
      { stage: 3, limitWorkingDays: 2, completed: 0, withinLimit: 0 },
    ]);
    // Open on 15 January: A4, stage 1 running 3 working days > 2.
    expect(report.escalations.overdueAtAsOf).toBe(1);
  });

  it("previews what the revision re-judges: how many escalations, and each changed figure before and after, changing nothing", async () => {
    const preview = await previewVersion(ctx.db, NORTH_ADMIN, { partnership: "north", version: V2, asOf: "2026-01-15" });
    // Concern on or after 1 Nov 2025: A2, A3, A5, A4 = 4 (A1 in October and N1 in 2024 stay with the first version).
    expect(preview.applies).toEqual({ escalations: 4, since: "2025-11-01", until: null });
    // From the revision's quarter (2025-Q4) to the last complete quarter on 15 Jan 2026 (2025-Q4).
    expect(preview.quarters).toEqual(["2025-Q4"]);
    expect(preview.refusal).toBeUndefined();
    // Stage 1: the limit shown on 31 Dec is the revision's 5; A2 (4 wd) is now within it: 2 → 3 within; A1 is still judged by
    // its own version's 2, so the limits vary. A4's 3 working days are within 5: overdue 1 → 0. Nothing else moves
    // (raised, closed, stage reached, median and stages 2 and 3 are the same under both).
    expect(preview.changes).toEqual([
      { quarter: "2025-Q4", figure: "Stage 1 limit shown (working days)", key: "escalations.timescale.0.limitWorkingDays", before: 2, after: 5 },
      { quarter: "2025-Q4", figure: "Stage 1 completed within its limit", key: "escalations.timescale.0.withinLimit", before: 2, after: 3 },
      { quarter: "2025-Q4", figure: "Stage 1: limits vary within the quarter", key: "escalations.timescale.0.limitsVary", before: "no", after: "yes" },
      { quarter: "2025-Q4", figure: "Overdue on 15 January 2026", key: "escalations.overdueAtAsOf", before: 1, after: 0 },
    ]);
    // Rolled back: the versions and the figures are as they were, and nothing was audited as saved.
    expect(await versionsOf(ctx.db, "north")).toEqual([{ effectiveFrom: "2015-01-01", name: "Small procedure", stages: [2, 2, 2] }]);
    expect((await getBoardReport(ctx.db, REPORT)).escalations.overdueAtAsOf).toBe(1);
    expect(await lastAudit(ctx.db, "reference.version.save")).toBeUndefined();
  });

  it("says so when it compares only the most recent twelve quarters", async () => {
    // Editing the first version re-judges everything before the next: from N1's quarter (2024-Q2) to 2030-Q3, 26 quarters.
    const preview = await previewVersion(ctx.db, NORTH_ADMIN, { partnership: "north", version: { ...V1, name: "Renamed" }, replaces: "2015-01-01", asOf: "2030-12-30" });
    expect(preview.applies).toEqual({ escalations: 6, since: "2015-01-01", until: null });
    expect(preview.quarters).toHaveLength(12);
    expect(preview.quarters[0]).toBe("2027-Q4");
    expect(preview.note).toBe(
      "The change affects 26 quarters (2024-Q2 to 2030-Q3); the 12 most recent (2027-Q4 to 2030-Q3) were compared. Earlier quarters' figures may change too.",
    );
    // A new name judges nothing differently.
    expect(preview.changes).toEqual([]);
  });

  it("saves the revision, audited, and the figures are re-judged as the preview said", async () => {
    const saved = await saveVersion(ctx.db, NORTH_ADMIN, { partnership: "north", version: V2 });
    expect(saved.changed).toBe(true);
    expect(await versionsOf(ctx.db, "north")).toEqual([
      { effectiveFrom: "2015-01-01", name: "Small procedure", stages: [2, 2, 2] },
      { effectiveFrom: "2025-11-01", name: "Small procedure, 2025 revision", stages: [5, 2, 2] },
    ]);
    const report = await getBoardReport(ctx.db, REPORT);
    expect(report.escalations.timescale[0]).toEqual({ stage: 1, limitWorkingDays: 5, completed: 4, withinLimit: 3, limitsVary: true });
    expect(report.escalations.overdueAtAsOf).toBe(0);
    expect(await lastAudit(ctx.db, "reference.version.save")).toMatchObject({
      actor: "admin@north.example", outcome: "success", scope: { partnerships: ["north"] }, details: { effectiveFrom: "2025-11-01", changed: true },
    });
  });

  it("refuses a version that would leave a loaded record beyond its stages, naming it, and changes nothing", async () => {
    const oneStage = { ...V2, stages: [stage(1, "Practitioners", 5)] };
    const before = await versionsOf(ctx.db, "north");
    const error = await refusal(saveVersion(ctx.db, NORTH_ADMIN, { partnership: "north", version: oneStage, replaces: "2025-11-01" }));
    expect(error).toBeInstanceOf(RefusedChangeError);
    // A5 (concern 17 Nov, under the revision) has stage 2 dated.
    expect(error.message).toBe(
      '1 loaded escalation(s) would have a stage date beyond the stages of the procedure version that judges them, so nothing was changed. ' +
        'The first: north A5 (stage 2 dated; "Small procedure, 2025 revision" has 1). Keep those stages in the version, or correct the records first.',
    );
    expect(await versionsOf(ctx.db, "north")).toEqual(before);
    expect(await lastAudit(ctx.db, "reference.version.save")).toMatchObject({ outcome: "refused", details: { refused: error.message } });
    // The preview says the same instead of comparing figures, and through the API the refusal is a 400 with its message.
    const preview = await previewVersion(ctx.db, NORTH_ADMIN, { partnership: "north", version: oneStage, replaces: "2025-11-01", asOf: "2026-01-15" });
    expect(preview).toMatchObject({ applies: { escalations: 4 }, refusal: error.message, changes: [] });
    await expect(caller(NORTH_ADMIN).reference.saveVersion({ partnership: "north", version: oneStage, replaces: "2025-11-01" })).rejects.toMatchObject({
      code: "BAD_REQUEST", message: error.message,
    });
    expect(await versionsOf(ctx.db, "north")).toEqual(before);
  });

  it("names the field and the value of a bad version", async () => {
    const bad = { ...V2, effectiveFrom: "2025-02-30", stages: [stage(1, "Practitioners", 300), stage(3, "Partnership", 2)] };
    const answer = caller(NORTH_ADMIN).reference.saveVersion({ partnership: "north", version: bad });
    await expect(answer).rejects.toBeInstanceOf(TRPCError);
    await expect(answer).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const message = (await refusal(saveVersion(ctx.db, NORTH_ADMIN, { partnership: "north", version: bad }))).message;
    expect(message).toBe(
      'version.effectiveFrom: "2025-02-30" is not a real date written as YYYY-MM-DD; ' +
        "version.stages.0.limitDays: 300 is not a number of days: give a whole number from 0 to 250; " +
        "version.stages.1.number: 3 is out of order: stages are numbered 1, 2, 3 … with no gaps, so this one is 2",
    );
    await expect(saveVersion(ctx.db, NORTH_ADMIN, { partnership: "north", version: { ...V2, name: "Again" } })).rejects.toThrow(
      'version.effectiveFrom: north already has a version from 2025-11-01 ("Small procedure, 2025 revision") (value: "2025-11-01"). Edit that version, or choose another date.',
    );
  });

  it("refuses north's admin a change to south's version, as if south were not there, and audits the attempt", async () => {
    const before = await versionsOf(ctx.db, "south");
    const error = await refusal(saveVersion(ctx.db, NORTH_ADMIN, { partnership: "south", version: V2 }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('There is no partnership "south" among the partnerships you manage.');
    await expect(caller(NORTH_ADMIN).reference.deleteVersion({ partnership: "south", effectiveFrom: "2015-01-01" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller(NORTH_ADMIN).reference.previewVersion({ partnership: "south", version: V2 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await versionsOf(ctx.db, "south")).toEqual(before);
    expect(await lastAudit(ctx.db, "access.reference.manage")).toMatchObject({ actor: "admin@north.example", outcome: "refused", scope: { partnerships: ["south"] } });
  });

  it("deletes the revision (the figures are judged by the first version again), and refuses deleting the only version", async () => {
    await deleteVersion(ctx.db, NORTH_ADMIN, { partnership: "north", effectiveFrom: "2025-11-01" });
    expect(await versionsOf(ctx.db, "north")).toEqual([{ effectiveFrom: "2015-01-01", name: "Small procedure", stages: [2, 2, 2] }]);
    expect((await getBoardReport(ctx.db, REPORT)).escalations.overdueAtAsOf).toBe(1);
    const error = await refusal(deleteVersion(ctx.db, NORTH_ADMIN, { partnership: "north", effectiveFrom: "2015-01-01" }));
    expect(error.message).toBe('"Small procedure" is north\'s only procedure version: every escalation is judged by one, so it cannot be deleted. Change it instead.');
    expect(await versionsOf(ctx.db, "north")).toHaveLength(1);
    expect(await lastAudit(ctx.db, "reference.version.delete")).toMatchObject({ outcome: "refused" });
  });
});

describe("agencies", () => {
  const membersOf = async (code: string) =>
    (await queryRows<{ p: string }>(ctx.db, sql`select p.code as p from agency_partnerships m join agencies a on a.id = m.agency_id join partnerships p on p.id = m.partnership_id where a.code = ${code} order by p.code`)).map((r) => r.p);

  it("lists north's admin the agencies of north, saying which are shared with partnerships outside their scope", async () => {
    const listed = await listManagedAgencies(ctx.db, NORTH_ADMIN);
    expect(listed.map((a) => [a.code, a.partnerships, a.sharedWith])).toEqual([
      ["HLT", ["north"], ["south"]],
      ["POL", ["north"], ["south"]],
      ["CSC", ["north"], []],
    ]);
  });

  it("keeps an agency's membership of a partnership outside the admin's scope when the admin saves it", async () => {
    const saved = await saveAgency(ctx.db, NORTH_ADMIN, { code: "POL", name: "County Police Service", sector: "police", aliases: ["Constabulary", "Police"], partnerships: ["north"] });
    expect(saved).toEqual({ code: "POL", created: false, partnerships: ["north", "south"], sharedWith: ["south"] });
    expect(await membersOf("POL")).toEqual(["north", "south"]);
    const [pol] = (await listManagedAgencies(ctx.db, NORTH_ADMIN)).filter((a) => a.code === "POL");
    expect(pol).toEqual({ code: "POL", name: "County Police Service", sector: "police", aliases: ["Constabulary", "Police"], partnerships: ["north"], sharedWith: ["south"] });
    expect(await lastAudit(ctx.db, "reference.agency.save")).toMatchObject({ outcome: "success", scope: { agency: "POL" } });
  });

  it("refuses north's admin adding an agency to south, and changing south's own agency, as if they were not there", async () => {
    await expect(saveAgency(ctx.db, NORTH_ADMIN, { code: "CSC", name: "North Children's Social Care", sector: "social_care", aliases: [], partnerships: ["north", "south"] })).rejects.toThrow(
      'There is no partnership "south" among the partnerships you manage.',
    );
    await expect(saveAgency(ctx.db, NORTH_ADMIN, { code: "SCH", name: "Schools", sector: "education", aliases: [], partnerships: ["north"] })).rejects.toThrow(
      'There is no agency "SCH" among the agencies of the partnerships you manage.',
    );
    expect(await membersOf("CSC")).toEqual(["north"]);
    expect(await membersOf("SCH")).toEqual(["south"]);
  });

  it("refuses an agency leaving a partnership where loaded records name it, naming how many and which", async () => {
    // HLT receives all six of north's escalations: A1 A2 A3 A4 A5 N1.
    const error = await refusal(saveAgency(ctx.db, NORTH_ADMIN, { code: "HLT", name: "Community Health Trust", sector: "health", aliases: [], partnerships: [] }));
    expect(error.message).toBe(
      "Agency HLT cannot leave north: in north, 6 loaded records name it (A1, A2, A3, A4, A5 and 1 more). Nothing was changed. Undo or correct those uploads first.",
    );
    expect(await membersOf("HLT")).toEqual(["north", "south"]);
    expect(await lastAudit(ctx.db, "reference.agency.save")).toMatchObject({ outcome: "refused", scope: { agency: "HLT" } });
  });

  it("refuses an alias that already names another agency", async () => {
    await expect(saveAgency(ctx.db, NORTH_ADMIN, { code: "CSC", name: "North Children's Social Care", sector: "social_care", aliases: ["constabulary"], partnerships: ["north"] })).rejects.toThrow(
      'aliases.0: "constabulary" already names agency POL: an alias must point at one agency only.',
    );
  });
});

describe("themes", () => {
  it("refuses removing a theme loaded records carry, naming how many, and keeps it", async () => {
    const error = await refusal(saveThemes(ctx.db, NORTH_ADMIN, { partnership: "north", themes: [] }));
    expect(error.message).toBe(
      "Theme neglect is carried by 1 loaded record in north (N1), so it cannot be removed and nothing was changed. Keep the theme (its label and synonyms may change), or correct those records first.",
    );
    const [north] = await listManagedPartnerships(ctx.db, NORTH_ADMIN);
    expect(north!.themes).toEqual([{ code: "neglect", label: "Neglect", synonyms: ["neglectful care"] }]);
    // Its label may change, and a theme nobody carries may be added and removed.
    await saveThemes(ctx.db, NORTH_ADMIN, { partnership: "north", themes: [{ code: "neglect", label: "Neglect of the child", synonyms: [] }, { code: "housing", label: "Housing", synonyms: [] }] });
    const saved = await saveThemes(ctx.db, NORTH_ADMIN, { partnership: "north", themes: [{ code: "neglect", label: "Neglect of the child", synonyms: [] }] });
    expect(saved.removed).toEqual(["housing"]);
  });
});

describe("a partnership's settings and the bank holidays", () => {
  const workingOn = async (date: string) =>
    queryRows<{ code: string; is_working_day: boolean }>(
      ctx.db,
      sql`select p.code, c.is_working_day from calendar_days c join partnerships p on p.id = c.partnership_id where c.date = ${date}::date order by p.code`,
    );
  const NORTH = {
    code: "north", name: "North Safeguarding Children Partnership", quarterLabels: "financial" as const, disclosureProfile: "nhs" as const,
    chairFollowUpLimitWorkingDays: 7, closureDays: ["2025-12-25", "2025-12-27", "2025-12-29", "2030-06-03"], targets: { withinLimitPct: 80 },
  };

  it("saves north's settings and a new closure day, rebuilding north's calendar only", async () => {
    expect(await savePartnership(ctx.db, NORTH_ADMIN, NORTH)).toEqual({ code: "north", created: false, changed: true, calendarRebuilt: true });
    // Monday 3 June 2030 is now closed in north, and still a working day in south.
    expect(await workingOn("2030-06-03")).toEqual([{ code: "north", is_working_day: false }, { code: "south", is_working_day: true }]);
    const [north] = await listManagedPartnerships(ctx.db, NORTH_ADMIN);
    expect(north).toMatchObject({ quarterLabels: "financial", disclosureProfile: "nhs", chairFollowUpLimitWorkingDays: 7, targets: { withinLimitPct: 80 }, agencies: ["CSC", "HLT", "POL"] });
    // The same again changes nothing.
    expect(await savePartnership(ctx.db, NORTH_ADMIN, NORTH)).toEqual({ code: "north", created: false, changed: false, calendarRebuilt: false });
    await expect(savePartnership(ctx.db, NORTH_ADMIN, { ...NORTH, targets: { withinLimitPct: 180, speed: 1 } })).rejects.toThrow(
      'targets.withinLimitPct: 180 is a percentage above 100; targets.speed: "speed" is not a measure with a target',
    );
  });

  it("refuses north's admin south's settings, and creating a partnership", async () => {
    await expect(savePartnership(ctx.db, NORTH_ADMIN, { ...NORTH, code: "south", name: "South" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(savePartnership(ctx.db, NORTH_ADMIN, { ...NORTH, code: "east", name: "East", create: true })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await listManagedPartnerships(ctx.db, TEST_ADMIN)).map((p) => p.code)).toEqual(["north", "south"]);
  });

  it("lets only an admin for all partnerships correct the bank holidays, rebuilding every calendar", async () => {
    await expect(saveBankHolidays(ctx.db, NORTH_ADMIN, { add: [], remove: [] })).rejects.toBeInstanceOf(ForbiddenError);
    // Friday 1 June 2029 added; Tuesday 25 December 2029 (computed Christmas Day) removed.
    const saved = await saveBankHolidays(ctx.db, TEST_ADMIN, { add: [{ date: "2029-06-01", name: "A new holiday" }], remove: ["2029-12-25"] });
    expect(saved).toEqual({ add: [{ date: "2029-06-01", name: "A new holiday" }], remove: ["2029-12-25"], changed: true });
    expect(await getBankHolidayCorrections(ctx.db)).toEqual({ add: [{ date: "2029-06-01", name: "A new holiday" }], remove: ["2029-12-25"] });
    expect(await workingOn("2029-06-01")).toEqual([{ code: "north", is_working_day: false }, { code: "south", is_working_day: false }]);
    expect(await workingOn("2029-12-25")).toEqual([{ code: "north", is_working_day: true }, { code: "south", is_working_day: true }]);
    await expect(saveBankHolidays(ctx.db, TEST_ADMIN, { add: [], remove: ["2029-06-05"] })).rejects.toThrow(
      'remove: "2029-06-05" is not a bank holiday in the built-in list, so there is nothing to remove.',
    );
    expect((await saveBankHolidays(ctx.db, TEST_ADMIN, { add: [], remove: [] })).changed).toBe(true);
    expect(await workingOn("2029-12-25")).toEqual([{ code: "north", is_working_day: false }, { code: "south", is_working_day: false }]);
    expect(await lastAudit(ctx.db, "reference.bank_holidays.save")).toMatchObject({ outcome: "success", details: { changed: true } });
  });
});

describe("a new deployment", () => {
  const fresh = useTestWarehouse();
  const EAST_ADMIN: Principal = { userId: "east-admin", email: "admin@east.example", name: "East admin", grants: [{ role: "admin", partnerships: ["east"], agency: null }] };
  const EAST = { code: "east", name: "East Safeguarding Children Partnership", quarterLabels: "calendar" as const, disclosureProfile: "dfe" as const, chairFollowUpLimitWorkingDays: 5, closureDays: [], targets: {} };

  it("leads its first admin through set-up, starting with the first partnership, which gets a calendar", async () => {
    const start = await getSetup(fresh.db, TEST_ADMIN);
    expect(start).toMatchObject({ partnerships: 0, procedures: 0, agencies: 0, complete: false });
    expect(start.steps.map((s) => [s.key, s.done])).toEqual([["partnership", false], ["procedure", false], ["agencies", false], ["users", false], ["templates", false]]);
    // An admin scoped to partnerships does not create one (it would be outside their scope on creation).
    await expect(savePartnership(fresh.db, EAST_ADMIN, { ...EAST, create: true })).rejects.toThrow("Only a business manager for all partnerships may create a partnership.");

    expect(await savePartnership(fresh.db, TEST_ADMIN, { ...EAST, create: true })).toEqual({ code: "east", created: true, changed: true, calendarRebuilt: true });
    await expect(savePartnership(fresh.db, TEST_ADMIN, { ...EAST, create: true })).rejects.toThrow('code: there is already a partnership "east"');
    // 2015–2030 (5844 days), with the built-in bank holidays: Christmas Day 2025 is not a working day.
    const [calendar] = await queryRows<{ days: number; christmas: boolean }>(
      fresh.db,
      sql`select count(*)::int as days, bool_or(date = '2025-12-25' and is_working_day) as christmas from calendar_days`,
    );
    expect(calendar).toEqual({ days: 5844, christmas: false });
    const [standard] = await queryRows<{ n: number }>(fresh.db, sql`select count(*)::int as n from themes where partnership_id is null`);
    expect(standard!.n).toBe(8);

    await saveVersion(fresh.db, TEST_ADMIN, { partnership: "east", version: V1 });
    for (const [code, name, sector] of [["ESC", "East Children's Services", "social_care"], ["EPOL", "East Police", "police"]] as const) {
      await saveAgency(fresh.db, TEST_ADMIN, { code, name, sector, aliases: [], partnerships: ["east"], create: true });
    }
    const after = await getSetup(fresh.db, TEST_ADMIN);
    expect(after).toMatchObject({ partnerships: 1, procedures: 1, agencies: 2, complete: false });
    expect(after.steps.map((s) => [s.key, s.done])).toEqual([["partnership", true], ["procedure", true], ["agencies", true], ["users", false], ["templates", false]]);
    // The admin scoped to east now manages it.
    expect((await listManagedPartnerships(fresh.db, EAST_ADMIN)).map((p) => [p.code, p.versions.length, p.agencies])).toEqual([["east", 1, ["EPOL", "ESC"]]]);
  });
});
