/**
 * Reference data: partnerships, their procedures and closure days, agencies with aliases and
 * memberships, partnership themes and bank-holiday corrections, loaded from one JSON document
 * (IMPORT-FORMAT.md, "Reference data"). Codes are the identity: loading again updates names,
 * aliases and procedures in place and never touches imported records.
 */
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { withTransaction, type Db } from "../../db/client";
import {
  agencies,
  agencyAliases,
  agencyPartnerships,
  closureDays,
  MAX_STAGES,
  partnerships,
  themes,
} from "../../db/schema";
import { writeAudit } from "../audit";
import { rebuildCalendar, syncBankHolidays } from "../calendar/calendarTable";
import { bankHolidayCorrections } from "./manage/bankHolidays";
import { CALENDAR_START, isoDateSchema } from "../calendar/dates";
import { isInCalendar } from "../calendar/workingDays";
import { normaliseName } from "./names";
import { ReferenceDataError } from "./referenceDataError";
import { refuseRecordsBeyondTheirVersion, replaceProcedureVersions, type VersionDefinition } from "./versionStore";
import { STANDARD_THEMES } from "./themes";

const text = z.string().trim().min(1, { message: "must not be empty" });
const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, {
    message: "must be 1–40 letters, digits, '-' or '_', starting with a letter or digit",
  });
const calendarDate = isoDateSchema.refine(isInCalendar, { message: "must be within the calendar, 2015-01-01 to 2030-12-31" });

export const SECTORS = ["police", "health", "social_care", "education", "probation", "youth_justice", "vcf", "other"] as const;

const limitDays = z.number().int().min(0).max(250);

const stageSchema = z
  .strictObject({
    number: z.number().int().min(1).max(MAX_STAGES),
    name: text,
    level: text.optional(),
    limitWorkingDays: limitDays.optional(),
    limitCalendarDays: limitDays.optional(),
  })
  .superRefine((s, ctx) => {
    const which = `stage ${s.number} ("${s.name}")`;
    if (s.limitWorkingDays !== undefined && s.limitCalendarDays !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["limitCalendarDays"],
        message:
          `${which} gives limitCalendarDays as well as limitWorkingDays (${s.limitWorkingDays}); ` +
          "a stage's limit is in working days or in calendar days, so give only one of them",
      });
    } else if (s.limitWorkingDays === undefined && s.limitCalendarDays === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `${which} has no limit; give limitWorkingDays or limitCalendarDays (whole days, 0 or more)`,
      });
    }
  });

const procedureBody = {
  name: text,
  stageWord: z.enum(["stage", "step"]).default("stage"),
  stages: z
    .array(stageSchema)
    .min(1, { message: "a procedure has at least one stage" })
    .max(MAX_STAGES, {
      error: (issue) =>
        `has ${(issue.input as unknown[]).length} stages; a procedure version has at most ${MAX_STAGES} (the upload formats carry stage1_on to stage${MAX_STAGES}_on)`,
    })
    .refine((stages) => stages.every((s, i) => s.number === i + 1), {
      message: "stages must be numbered 1, 2, 3 … in order, with no gaps",
    }),
  learningWithinMonths: z.number().int().min(1).max(12).default(1),
  totalLimitWorkingDays: limitDays.optional(),
};

const sharedProcedureSchema = z.strictObject({ code, ...procedureBody });
const inlineProcedureSchema = z.strictObject({ code: code.optional(), ...procedureBody });
/** One version of a partnership's `procedures` list. */
const versionSchema = z.strictObject({ code: code.optional(), effectiveFrom: calendarDate.optional(), ...procedureBody });

const themeSchema = z.strictObject({ code, label: text, synonyms: z.array(text).default([]) });

/** The statistical-process-control measures a partnership may set a target for (METRICS.md). */
export const TARGET_MEASURES = ["withinLimitPct", "resolvedAtLowestLevelPct", "overdueAtMonthEnd", "chairFollowUpWithinLimitPct"] as const;
const targetsSchema = z
  .record(z.string(), z.number().finite().min(0))
  .superRefine((targets, ctx) => {
    for (const key of Object.keys(targets)) {
      if (!(TARGET_MEASURES as readonly string[]).includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `is not a measure with a target; use one of ${TARGET_MEASURES.join(", ")}` });
      } else if (key.endsWith("Pct") && targets[key]! > 100) {
        ctx.addIssue({ code: "custom", path: [key], message: "is a percentage, so at most 100" });
      }
    }
  });

const partnershipSchema = z
  .strictObject({
    code,
    name: text,
    /** One version in force throughout: a procedure written out, or the code of one in the top-level `procedures` list. */
    procedure: z.union([code, inlineProcedureSchema]).optional(),
    /** The versions, oldest first, each from its `effectiveFrom` (the first's may be left out). */
    procedures: z.array(versionSchema).min(1, { message: "lists no procedure version" }).optional(),
    chairFollowUpLimitWorkingDays: z.number().int().min(0).max(250).default(5),
    closureDays: z.array(calendarDate).default([]),
    quarterLabels: z.enum(["calendar", "financial"]).default("calendar"),
    disclosureProfile: z.enum(["dfe", "nhs"]).default("dfe"),
    themes: z.array(themeSchema).default([]),
    targets: targetsSchema.default({}),
  })
  .superRefine((p, ctx) => {
    if ((p.procedure === undefined) === (p.procedures === undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: 'gives either "procedure" (one version) or "procedures" (a list of versions), and not both' });
    }
    p.procedures?.forEach((v, i) => {
      if (i === 0) return;
      const previous = p.procedures![i - 1]!.effectiveFrom ?? CALENDAR_START;
      if (v.effectiveFrom === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["procedures", i, "effectiveFrom"],
          message: `is required on every version after the first: the day (yyyy-mm-dd) from which "${v.name}" is in force`,
        });
      } else if (v.effectiveFrom <= previous) {
        ctx.addIssue({ code: "custom", path: ["procedures", i, "effectiveFrom"], message: `must be after the previous version's effectiveFrom (${previous}): versions are listed oldest first, each in force from a later day than the one before` });
      }
    });
  });

const agencySchema = z.strictObject({
  code,
  name: text,
  sector: z.enum(SECTORS),
  partnerships: z.array(code).min(1, { message: "an agency must belong to at least one partnership" }),
  aliases: z.array(text).default([]),
});

export const referenceDataSchema = z
  .strictObject({
    $comment: z.string().optional(),
    procedures: z.array(sharedProcedureSchema).default([]),
    partnerships: z.array(partnershipSchema).min(1, { message: "at least one partnership is needed" }),
    agencies: z.array(agencySchema).default([]),
    bankHolidays: z
      .strictObject({
        add: z.array(z.strictObject({ date: calendarDate, name: text })).default([]),
        remove: z.array(calendarDate).default([]),
      })
      .optional(),
  })
  .superRefine((doc, ctx) => {
    const duplicate = (values: string[], path: (i: number) => (string | number)[], what: string) => {
      const seen = new Map<string, number>();
      values.forEach((value, i) => {
        const key = value.toLowerCase();
        if (seen.has(key)) {
          ctx.addIssue({ code: "custom", path: path(i), message: `${what} "${value}" appears twice (also at position ${seen.get(key)! + 1})` });
        } else seen.set(key, i);
      });
    };
    duplicate(doc.procedures.map((p) => p.code), (i) => ["procedures", i, "code"], "procedure code");
    duplicate(doc.partnerships.map((p) => p.code), (i) => ["partnerships", i, "code"], "partnership code");
    duplicate(doc.agencies.map((a) => a.code), (i) => ["agencies", i, "code"], "agency code");

    const procedureCodes = new Set(doc.procedures.map((p) => p.code));
    doc.partnerships.forEach((p, i) => {
      if (typeof p.procedure === "string" && !procedureCodes.has(p.procedure)) {
        ctx.addIssue({
          code: "custom",
          path: ["partnerships", i, "procedure"],
          message: `names procedure "${p.procedure}", which is not in the "procedures" list`,
        });
      }
    });

    const partnershipCodes = new Set(doc.partnerships.map((p) => p.code));
    // Every name an agency can be matched by must point at one agency only.
    const owner = new Map<string, string>();
    doc.agencies.forEach((a) => {
      for (const name of [a.code, a.name]) owner.set(normaliseName(name), a.code);
    });
    doc.agencies.forEach((a, i) => {
      a.partnerships.forEach((p, j) => {
        if (!partnershipCodes.has(p)) {
          ctx.addIssue({
            code: "custom",
            path: ["agencies", i, "partnerships", j],
            message: `names partnership "${p}", which is not in this file's "partnerships" list`,
          });
        }
      });
      a.aliases.forEach((alias, j) => {
        const key = normaliseName(alias);
        const other = owner.get(key);
        if (other && other !== a.code) {
          ctx.addIssue({
            code: "custom",
            path: ["agencies", i, "aliases", j],
            message: `alias "${alias}" already names agency ${other}: an alias must point at one agency only`,
          });
        } else owner.set(key, a.code);
      });
    });
  });

export type ReferenceData = z.output<typeof referenceDataSchema>;

type PartnershipDefinition = ReferenceData["partnerships"][number];

/** A partnership's versions as the file gives them (one `procedure`, or the `procedures` list), oldest first. */
export function versionsOf(data: Pick<ReferenceData, "procedures">, p: PartnershipDefinition): VersionDefinition[] {
  const shared = new Map(data.procedures.map((s) => [s.code, s]));
  const written: Array<z.output<typeof inlineProcedureSchema> & { effectiveFrom?: string }> = p.procedures ?? [
    typeof p.procedure === "string" ? shared.get(p.procedure)! : p.procedure!,
  ];
  return written.map((v) => ({
    // Only the first may leave it out (the schema says so): it is then the calendar's first day.
    effectiveFrom: v.effectiveFrom ?? CALENDAR_START,
    name: v.name,
    stageWord: v.stageWord,
    learningWithinMonths: v.learningWithinMonths,
    totalLimitWorkingDays: v.totalLimitWorkingDays ?? null,
    stages: v.stages.map((s) => ({
      number: s.number,
      name: s.name,
      level: s.level ?? null,
      limitDays: (s.limitWorkingDays ?? s.limitCalendarDays)!,
      limitUnit: s.limitCalendarDays !== undefined ? ("calendar" as const) : ("working" as const),
    })),
  }));
}

export { ReferenceDataError };

function pathText(path: PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "");
}

function valueAt(doc: unknown, path: PropertyKey[]): unknown {
  let current = doc;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** Validates a parsed JSON document; throws ReferenceDataError naming each bad field and its value. */
export function parseReferenceData(doc: unknown): ReferenceData {
  const result = referenceDataSchema.safeParse(doc);
  if (result.success) return result.data;
  throw new ReferenceDataError(result.error.issues.flatMap((issue) => describeIssue(doc, issue)));
}

function describeIssue(doc: unknown, issue: z.core.$ZodIssue, prefix: PropertyKey[] = []): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union") {
    // Report the alternative the value was evidently written as (the one that got furthest), not
    // zod's bare "invalid input".
    const branches = issue.errors.filter((branch) => !(branch.length === 1 && branch[0]!.path.length === 0 && branch[0]!.code === "invalid_type"));
    if (branches.length === 1) return branches[0]!.flatMap((inner) => describeIssue(doc, inner, path));
  }
  const where = pathText(path) || "the document";
  if (issue.code === "unrecognized_keys") return [`${where}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`];
  const value = valueAt(doc, path);
  return [`${where}: ${issue.message}${shownValue(value)}`];
}

/** The value a problem is about, as written: a long text shortened, a long list or object left out (the message describes it). */
function shownValue(value: unknown): string {
  if (value === undefined) return "";
  const json = JSON.stringify(value) ?? "";
  if (typeof value === "object" && value !== null) return json.length <= 80 ? ` (value: ${json})` : "";
  return ` (value: ${json.length <= 80 ? json : `${json.slice(0, 79)}…`})`;
}

/** Reads reference data from JSON text; a syntax error is reported in plain words. */
export function parseReferenceDataJson(textContent: string): ReferenceData {
  let doc: unknown;
  try {
    doc = JSON.parse(textContent);
  } catch (error) {
    throw new ReferenceDataError([`the file is not valid JSON: ${(error as Error).message}`]);
  }
  return parseReferenceData(doc);
}

export interface ReferenceLoadSummary {
  /** Procedure versions, over every partnership loaded. */
  procedures: number;
  partnerships: number;
  agencies: number;
  aliases: number;
  closureDays: number;
  partnershipThemes: number;
}

/** Loads reference data in one transaction, with its audit entry. Idempotent. */
export async function loadReferenceData(db: Db, data: ReferenceData, actor: string): Promise<ReferenceLoadSummary> {
  return withTransaction(db, async (tx) => {
    await ensureStandardThemes(tx);

    const partnershipRows = data.partnerships.map((p) => ({
      code: p.code,
      name: p.name,
      chairFollowUpLimitWorkingDays: p.chairFollowUpLimitWorkingDays,
      quarterLabels: p.quarterLabels,
      disclosureProfile: p.disclosureProfile,
      targets: p.targets,
    }));
    await tx
      .insert(partnerships)
      .values(partnershipRows)
      .onConflictDoUpdate({
        target: partnerships.code,
        set: {
          name: sql`excluded.name`,
          chairFollowUpLimitWorkingDays: sql`excluded.chair_follow_up_limit_working_days`,
          quarterLabels: sql`excluded.quarter_labels`,
          disclosureProfile: sql`excluded.disclosure_profile`,
          targets: sql`excluded.targets`,
          updatedAt: sql`now()`,
        },
        setWhere: sql`(partnerships.name, partnerships.chair_follow_up_limit_working_days,
                       partnerships.quarter_labels, partnerships.disclosure_profile, partnerships.targets)
          is distinct from (excluded.name, excluded.chair_follow_up_limit_working_days,
                       excluded.quarter_labels, excluded.disclosure_profile, excluded.targets)`,
      });
    const partnershipIds = new Map(
      (await tx.select({ id: partnerships.id, code: partnerships.code }).from(partnerships)).map((p) => [p.code, p.id]),
    );
    const loadedPartnershipIds = data.partnerships.map((p) => partnershipIds.get(p.code)!);

    let procedureVersionCount = 0;
    for (const p of data.partnerships) {
      const versions = versionsOf(data, p);
      procedureVersionCount += versions.length;
      await replaceProcedureVersions(tx, partnershipIds.get(p.code)!, versions);
    }
    await refuseRecordsBeyondTheirVersion(tx, loadedPartnershipIds);

    // Closure days and partnership themes: the file's list replaces the partnership's list.
    await tx.delete(closureDays).where(inArray(closureDays.partnershipId, loadedPartnershipIds));
    const closureRows = data.partnerships.flatMap((p) =>
      [...new Set(p.closureDays)].map((date) => ({ partnershipId: partnershipIds.get(p.code)!, date })),
    );
    if (closureRows.length) await tx.insert(closureDays).values(closureRows);

    const themeRows = data.partnerships.flatMap((p) =>
      p.themes.map((t) => ({ partnershipId: partnershipIds.get(p.code)!, code: t.code, label: t.label, synonyms: t.synonyms })),
    );
    for (const p of data.partnerships) {
      const keep = p.themes.map((t) => t.code);
      const id = partnershipIds.get(p.code)!;
      await tx
        .delete(themes)
        .where(keep.length ? and(eq(themes.partnershipId, id), notInArray(themes.code, keep)) : eq(themes.partnershipId, id));
    }
    if (themeRows.length) {
      await tx
        .insert(themes)
        .values(themeRows)
        .onConflictDoUpdate({
          target: [themes.partnershipId, themes.code],
          targetWhere: sql`partnership_id is not null`,
          set: { label: sql`excluded.label`, synonyms: sql`excluded.synonyms` },
          setWhere: sql`(themes.label, themes.synonyms) is distinct from (excluded.label, excluded.synonyms)`,
        });
    }

    const aliasCount = await upsertAgencies(tx, data.agencies, partnershipIds);

    // A file without bankHolidays leaves the deployment's corrections (made in the product, say) as they are.
    await syncBankHolidays(tx, data.bankHolidays ?? (await bankHolidayCorrections(tx)));
    await rebuildCalendar(tx);

    const summary: ReferenceLoadSummary = {
      procedures: procedureVersionCount,
      partnerships: data.partnerships.length,
      agencies: data.agencies.length,
      aliases: aliasCount,
      closureDays: closureRows.length,
      partnershipThemes: themeRows.length,
    };
    await writeAudit(tx, {
      actor,
      action: "reference_data.load",
      scope: { partnerships: data.partnerships.map((p) => p.code) },
      details: { ...summary },
      outcome: "success",
    });
    return summary;
  });
}

async function ensureStandardThemes(db: Db): Promise<void> {
  await db
    .insert(themes)
    .values(STANDARD_THEMES.map((t) => ({ code: t.code, label: t.label, synonyms: [...t.synonyms] })))
    .onConflictDoUpdate({
      target: themes.code,
      targetWhere: sql`partnership_id is null`,
      set: { label: sql`excluded.label`, synonyms: sql`excluded.synonyms` },
      setWhere: sql`(themes.label, themes.synonyms) is distinct from (excluded.label, excluded.synonyms)`,
    });
}

async function upsertAgencies(
  db: Db,
  defs: ReferenceData["agencies"],
  partnershipIds: Map<string, number>,
): Promise<number> {
  if (defs.length === 0) return 0;
  await db
    .insert(agencies)
    .values(defs.map((a) => ({ code: a.code, name: a.name, sector: a.sector })))
    .onConflictDoUpdate({
      target: agencies.code,
      set: { name: sql`excluded.name`, sector: sql`excluded.sector`, updatedAt: sql`now()` },
      setWhere: sql`(agencies.name, agencies.sector) is distinct from (excluded.name, excluded.sector)`,
    });
  const ids = new Map(
    (
      await db
        .select({ id: agencies.id, code: agencies.code })
        .from(agencies)
        .where(inArray(agencies.code, defs.map((a) => a.code)))
    ).map((a) => [a.code, a.id]),
  );
  const agencyIds = [...ids.values()];

  // An alias already held by an agency outside this file would make matching ambiguous.
  const wanted = defs.flatMap((a) => a.aliases.map((alias) => ({ code: a.code, alias, key: normaliseName(alias) })));
  if (wanted.length) {
    const held = await db
      .select({ key: agencyAliases.normalisedAlias, code: agencies.code })
      .from(agencyAliases)
      .innerJoin(agencies, eq(agencies.id, agencyAliases.agencyId))
      .where(and(inArray(agencyAliases.normalisedAlias, wanted.map((w) => w.key)), notInArray(agencyAliases.agencyId, agencyIds)));
    if (held.length) {
      const holder = new Map(held.map((h) => [h.key, h.code]));
      throw new ReferenceDataError(
        wanted
          .filter((w) => holder.has(w.key))
          .map((w) => `agency ${w.code}: alias "${w.alias}" already names agency ${holder.get(w.key)}, which this file does not list`),
      );
    }
  }

  // Aliases and memberships of the agencies in the file: the file's lists replace what was there.
  await db.delete(agencyAliases).where(inArray(agencyAliases.agencyId, agencyIds));
  const aliasRows = defs.flatMap((a) => {
    const seen = new Set<string>();
    return a.aliases.flatMap((alias) => {
      const normalisedAlias = normaliseName(alias);
      if (seen.has(normalisedAlias)) return [];
      seen.add(normalisedAlias);
      return [{ agencyId: ids.get(a.code)!, alias, normalisedAlias }];
    });
  });
  if (aliasRows.length) await db.insert(agencyAliases).values(aliasRows);

  await db.delete(agencyPartnerships).where(inArray(agencyPartnerships.agencyId, agencyIds));
  const memberships = defs.flatMap((a) =>
    [...new Set(a.partnerships)].map((p) => ({ agencyId: ids.get(a.code)!, partnershipId: partnershipIds.get(p)! })),
  );
  if (memberships.length) await db.insert(agencyPartnerships).values(memberships);
  return aliasRows.length;
}

