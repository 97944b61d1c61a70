/**
 * Reference data loads idempotently (codes are the identity), validates with messages that name
 * the bad field and its value, and changes nothing when the file is refused.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows, type Db } from "../db/client";
import { loadReferenceData, parseReferenceData, ReferenceDataError } from "../server/reference/config";
import { useTestWarehouse } from "./support/db";
import { demoReference, SMALL_WORLD } from "./support/reference";

const ctx = useTestWarehouse();

const REFERENCE_TABLES = [
  "procedure_versions", "procedure_version_stages", "partnerships", "agencies", "agency_aliases", "agency_partnerships",
  "themes", "bank_holidays", "closure_days",
];

/** Every row of every reference table, plus a digest of the calendar, for before/after comparison. */
async function snapshot(db: Db): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of REFERENCE_TABLES) {
    out[table] = await queryRows(db, sql.raw(`select to_jsonb(t)::text as row from ${table} t order by 1`));
  }
  out.calendar = await queryRows(
    db,
    sql`select partnership_id, count(*)::int as days, sum(working_day_number)::text as digest,
               count(*) filter (where is_working_day)::int as working
        from calendar_days group by partnership_id order by partnership_id`,
  );
  return out;
}

function refused(doc: unknown): string[] {
  try {
    parseReferenceData(doc);
  } catch (error) {
    if (error instanceof ReferenceDataError) return error.problems;
    throw error;
  }
  throw new Error("expected the document to be refused");
}

describe("reference data", () => {
  it("loads the shipped demo: four HIPS partnerships on one procedure, and Oxfordshire", async () => {
    const summary = await loadReferenceData(ctx.db, demoReference(), "test");
    expect(summary.partnerships).toBe(5);
    // One shared procedure ("hips") expanded into each of the four HIPS partnerships, and Oxfordshire's own: five versions.
    expect(summary.procedures).toBe(5);
    const rows = await queryRows<{ code: string; version: string; effective_from: string; stage_word: string; stages: number; limits: number[]; units: string[] }>(
      ctx.db,
      sql`select p.code, v.name as version, v.effective_from::text as effective_from, v.stage_word, count(s.number)::int as stages,
                 array_agg(s.limit_days order by s.number) as limits, array_agg(distinct s.limit_unit) as units
          from partnerships p join procedure_versions v on v.partnership_id = p.id
          join procedure_version_stages s on s.version_id = v.id
          group by p.code, v.name, v.effective_from, v.stage_word order by p.code`,
    );
    const hips = { version: "HIPS: working together to resolve professional differences", effective_from: "2015-01-01", stage_word: "stage", stages: 5, limits: [2, 2, 2, 2, 2], units: ["working"] };
    expect(rows).toEqual([
      { code: "hampshire", ...hips },
      { code: "isle-of-wight", ...hips },
      {
        code: "oxfordshire", version: "Oxfordshire: escalation and resolving professional concerns and disagreements policy (July 2024)",
        effective_from: "2015-01-01", stage_word: "step", stages: 5, limits: [5, 5, 5, 5, 5], units: ["working"],
      },
      { code: "portsmouth", ...hips },
      { code: "southampton", ...hips },
    ]);
    // 16 years of dates (2015–2030: 12 leap-free years × 365 + 4 leap years × 366 = 5844) per partnership.
    const [calendar] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from calendar_days`);
    expect(calendar!.n).toBe(5 * 5844);
    // Every sector is represented among the agencies.
    const sectors = await queryRows<{ sector: string }>(ctx.db, sql`select distinct sector from agencies order by sector`);
    expect(sectors.map((s) => s.sector)).toEqual(["education", "health", "police", "probation", "social_care", "vcf", "youth_justice"]);
  });

  it("loading the same file again leaves exactly the same rows", async () => {
    const before = await snapshot(ctx.db);
    await loadReferenceData(ctx.db, demoReference(), "test");
    expect(await snapshot(ctx.db)).toEqual(before);
  });

  it("updates names, aliases, limits and closure days in place on a changed file", async () => {
    const changed = demoReference();
    changed.partnerships[0]!.name = "Hampshire and the New Forest Safeguarding Children Partnership";
    changed.partnerships[0]!.closureDays = ["2025-12-29", "2026-12-29"];
    changed.procedures[0]!.stages[0]!.limitWorkingDays = 3;
    changed.agencies[0]!.aliases = ["Hants Police"];
    await loadReferenceData(ctx.db, changed, "test");
    const [row] = await queryRows<{ name: string; closures: string[]; first_limit: number; aliases: string[] }>(
      ctx.db,
      sql`select p.name,
            (select array_agg(date::text order by date) from closure_days c where c.partnership_id = p.id) as closures,
            (select s.limit_days from procedure_versions v join procedure_version_stages s on s.version_id = v.id
              where v.partnership_id = p.id and s.number = 1) as first_limit,
            (select array_agg(alias order by alias) from agency_aliases a join agencies g on g.id = a.agency_id where g.code = 'HIOWC') as aliases
          from partnerships p where p.code = 'hampshire'`,
    );
    expect(row).toEqual({
      name: "Hampshire and the New Forest Safeguarding Children Partnership",
      closures: ["2025-12-29", "2026-12-29"],
      first_limit: 3,
      aliases: ["Hants Police"],
    });
    // The new closure day (Tue 29 Dec 2026) is now a non-working day in Hampshire's calendar only.
    const flags = await queryRows<{ code: string; is_working_day: boolean }>(
      ctx.db,
      sql`select p.code, c.is_working_day from calendar_days c join partnerships p on p.id = c.partnership_id
          where c.date = '2026-12-29' and p.code in ('hampshire', 'southampton') order by p.code`,
    );
    expect(flags).toEqual([
      { code: "hampshire", is_working_day: false },
      { code: "southampton", is_working_day: true },
    ]);
    await loadReferenceData(ctx.db, demoReference(), "test");
  });

  it("refuses a malformed file with messages naming the field and value, and changes nothing", async () => {
    const before = await snapshot(ctx.db);
    const bad = demoReference() as unknown as { partnerships: Array<Record<string, unknown>>; agencies: Array<Record<string, unknown>> };
    bad.partnerships[1]!.closureDays = ["2025-02-30"];
    bad.agencies[2]!.sector = "council";
    const problems = refused(bad);
    expect(problems).toEqual([
      'partnerships[1].closureDays[0]: must be a real date written as YYYY-MM-DD (value: "2025-02-30")',
      expect.stringMatching(/^agencies\[2\]\.sector: Invalid option: expected one of .*\(value: "council"\)$/),
    ]);
    expect(await snapshot(ctx.db)).toEqual(before);
  });

  it("explains broken references between partnerships, procedures, agencies and aliases", () => {
    const doc = structuredClone(SMALL_WORLD) as typeof SMALL_WORLD & Record<string, unknown>;
    doc.partnerships[1]!.procedure = "nowhere";
    doc.agencies[2]!.partnerships = ["north", "east"];
    doc.agencies[3]!.aliases = ["constabulary"];
    expect(refused(doc)).toEqual([
      'partnerships[1].procedure: names procedure "nowhere", which is not in the "procedures" list (value: "nowhere")',
      'agencies[2].partnerships[1]: names partnership "east", which is not in this file\'s "partnerships" list (value: "east")',
      'agencies[3].aliases[0]: alias "constabulary" already names agency POL: an alias must point at one agency only (value: "constabulary")',
    ]);
  });

  it("names the stage whose limit is not a number, and unknown fields", () => {
    const doc = structuredClone(SMALL_WORLD) as Record<string, unknown> & typeof SMALL_WORLD;
    (doc.procedures[0]!.stages[1] as Record<string, unknown>).limitWorkingDays = "two";
    doc.colour = "blue";
    expect(refused(doc)).toEqual([
      'procedures[0].stages[1].limitWorkingDays: Invalid input: expected number, received string (value: "two")',
      'the document: unknown field(s) "colour"',
    ]);
  });

  it("refuses an alias another agency already holds in the warehouse", async () => {
    const before = await snapshot(ctx.db);
    const doc = parseReferenceData({
      partnerships: [{ code: "hampshire", name: "Hampshire Safeguarding Children Partnership", procedure: demoReference().procedures[0] }],
      agencies: [{ code: "NEW", name: "New Agency", sector: "other", partnerships: ["hampshire"], aliases: ["Hants Police"] }],
    });
    await expect(loadReferenceData(ctx.db, doc, "test")).rejects.toThrow(/alias "Hants Police" already names agency HIOWC/);
    expect(await snapshot(ctx.db)).toEqual(before);
  });
});
