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
  partnerships,
  procedureStages,
  procedures,
  themes,
} from "../../db/schema";
import { writeAudit } from "../audit";
import { rebuildCalendar, syncBankHolidays } from "../calendar/calendarTable";
import { isoDateSchema } from "../calendar/dates";
import { isInCalendar } from "../calendar/workingDays";
import { normaliseName } from "./names";
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

const stageSchema = z.strictObject({
  number: z.number().int().min(1).max(5),
  name: text,
  level: text.optional(),
  limitWorkingDays: z.number().int().min(0).max(250),
});

const procedureBody = {
  name: text,
  stageWord: z.enum(["stage", "step"]).default("stage"),
  stages: z
    .array(stageSchema)
    .min(1)
    .max(5, { message: "a procedure has at most 5 stages (the upload formats carry stage1_on to stage5_on)" })
    .refine((stages) => stages.every((s, i) => s.number === i + 1), {
      message: "stages must be numbered 1, 2, 3 … in order, with no gaps",
    }),
  learningWithinMonths: z.number().int().min(1).max(12).default(1),
};

const sharedProcedureSchema = z.strictObject({ code, ...procedureBody });
const inlineProcedureSchema = z.strictObject({ code: code.optional(), ...procedureBody });

const themeSchema = z.strictObject({ code, label: text, synonyms: z.array(text).default([]) });

const partnershipSchema = z.strictObject({
  code,
  name: text,
  /** A procedure written out, or the code of one in the top-level `procedures` list. */
  procedure: z.union([code, inlineProcedureSchema]),
  chairFollowUpLimitWorkingDays: z.number().int().min(0).max(250).default(5),
  closureDays: z.array(calendarDate).default([]),
  quarterLabels: z.enum(["calendar", "financial"]).default("calendar"),
  disclosureProfile: z.enum(["dfe", "nhs"]).default("dfe"),
  themes: z.array(themeSchema).default([]),
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

export class ReferenceDataError extends Error {
  constructor(readonly problems: string[]) {
    super(`The reference data was not loaded: ${problems.length} problem(s) found.\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ReferenceDataError";
  }
}

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
  const shown = value === undefined ? "" : ` (value: ${JSON.stringify(value)?.slice(0, 80)})`;
  return [`${where}: ${issue.message}${shown}`];
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

    const procedureDefs = new Map<string, z.output<typeof inlineProcedureSchema> & { code: string }>();
    for (const p of data.procedures) procedureDefs.set(p.code, p);
    for (const p of data.partnerships) {
      if (typeof p.procedure !== "string") procedureDefs.set(p.procedure.code ?? p.code, { ...p.procedure, code: p.procedure.code ?? p.code });
    }
    const procedureIds = await upsertProcedures(tx, [...procedureDefs.values()]);

    const partnershipRows = data.partnerships.map((p) => ({
      code: p.code,
      name: p.name,
      procedureId: procedureIds.get(typeof p.procedure === "string" ? p.procedure : (p.procedure.code ?? p.code))!,
      chairFollowUpLimitWorkingDays: p.chairFollowUpLimitWorkingDays,
      quarterLabels: p.quarterLabels,
      disclosureProfile: p.disclosureProfile,
    }));
    await tx
      .insert(partnerships)
      .values(partnershipRows)
      .onConflictDoUpdate({
        target: partnerships.code,
        set: {
          name: sql`excluded.name`,
          procedureId: sql`excluded.procedure_id`,
          chairFollowUpLimitWorkingDays: sql`excluded.chair_follow_up_limit_working_days`,
          quarterLabels: sql`excluded.quarter_labels`,
          disclosureProfile: sql`excluded.disclosure_profile`,
          updatedAt: sql`now()`,
        },
        setWhere: sql`(partnerships.name, partnerships.procedure_id, partnerships.chair_follow_up_limit_working_days,
                       partnerships.quarter_labels, partnerships.disclosure_profile)
          is distinct from (excluded.name, excluded.procedure_id, excluded.chair_follow_up_limit_working_days,
                       excluded.quarter_labels, excluded.disclosure_profile)`,
      });
    const partnershipIds = new Map(
      (await tx.select({ id: partnerships.id, code: partnerships.code }).from(partnerships)).map((p) => [p.code, p.id]),
    );
    const loadedPartnershipIds = data.partnerships.map((p) => partnershipIds.get(p.code)!);

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

    await syncBankHolidays(tx, data.bankHolidays ?? {});
    await rebuildCalendar(tx);

    const summary: ReferenceLoadSummary = {
      procedures: procedureDefs.size,
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

async function upsertProcedures(
  db: Db,
  defs: Array<z.output<typeof inlineProcedureSchema> & { code: string }>,
): Promise<Map<string, number>> {
  if (defs.length === 0) return new Map();
  await db
    .insert(procedures)
    .values(defs.map((p) => ({ code: p.code, name: p.name, stageWord: p.stageWord, learningWithinMonths: p.learningWithinMonths })))
    .onConflictDoUpdate({
      target: procedures.code,
      set: {
        name: sql`excluded.name`,
        stageWord: sql`excluded.stage_word`,
        learningWithinMonths: sql`excluded.learning_within_months`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`(procedures.name, procedures.stage_word, procedures.learning_within_months)
        is distinct from (excluded.name, excluded.stage_word, excluded.learning_within_months)`,
    });
  const ids = new Map(
    (
      await db
        .select({ id: procedures.id, code: procedures.code })
        .from(procedures)
        .where(inArray(procedures.code, defs.map((p) => p.code)))
    ).map((p) => [p.code, p.id]),
  );
  for (const p of defs) {
    const procedureId = ids.get(p.code)!;
    await db
      .delete(procedureStages)
      .where(and(eq(procedureStages.procedureId, procedureId), sql`${procedureStages.number} > ${p.stages.length}`));
  }
  await db
    .insert(procedureStages)
    .values(
      defs.flatMap((p) =>
        p.stages.map((s) => ({
          procedureId: ids.get(p.code)!,
          number: s.number,
          name: s.name,
          level: s.level ?? null,
          limitWorkingDays: s.limitWorkingDays,
        })),
      ),
    )
    .onConflictDoUpdate({
      target: [procedureStages.procedureId, procedureStages.number],
      set: { name: sql`excluded.name`, level: sql`excluded.level`, limitWorkingDays: sql`excluded.limit_working_days` },
      setWhere: sql`(procedure_stages.name, procedure_stages.level, procedure_stages.limit_working_days)
        is distinct from (excluded.name, excluded.level, excluded.limit_working_days)`,
    });
  return ids;
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

