/**
 * The inputs of the business manager's reference-data services (issue 17), shared by the tRPC
 * procedures and the admin pages' forms. Every refusal is one plain-English message naming the field
 * (zod's path) and the value refused, as server/inputs.ts does for the other doors.
 */
import { z } from "zod";
import { CALENDAR_END, CALENDAR_START, isIsoDate } from "../../calendar/dates";

// Kept here rather than imported, so that a page's client form can use these schemas without the
// server's modules (tests/reference-admin.test.ts checks they equal db/schema's and config.ts's).
/** The most stages a procedure version may have (db/schema.ts MAX_STAGES). */
export const MAX_STAGES = 10;
/** An agency's sectors (config.ts SECTORS). */
export const SECTORS = ["police", "health", "social_care", "education", "probation", "youth_justice", "vcf", "other"] as const;
/** The measures a partnership may set a target for (config.ts TARGET_MEASURES). */
export const TARGET_MEASURES = ["withinLimitPct", "resolvedAtLowestLevelPct", "overdueAtMonthEnd", "chairFollowUpWithinLimitPct"] as const;

/** The longest limit a stage or procedure may set, in days (as config load takes it). */
export const MAX_LIMIT_DAYS = 250;

const quoted = (value: unknown) => (typeof value === "string" ? `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"` : JSON.stringify(value) ?? String(value));

/** Text a person types: trimmed, not empty, not too long. */
function textSchema(what: string, max: number) {
  return z
    .string({ error: (issue) => `must be ${what} written as text (not ${quoted(issue.input)})` })
    .trim()
    .min(1, { error: `must not be empty: give ${what}` })
    .max(max, { error: (issue) => `${what} is longer than ${max} characters (${quoted(issue.input)})` });
}

/** A reference-data code (partnership, agency, theme), as config load takes one. */
export function referenceCodeSchema(what: string) {
  return z.string({ error: (issue) => `must be ${what} (not ${quoted(issue.input)})` }).trim().superRefine((value, ctx) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(value)) {
      ctx.addIssue({ code: "custom", message: `${quoted(value)} is not ${what}: use 1–40 letters, digits, "-" or "_", starting with a letter or digit` });
    }
  });
}

/** One of a fixed list of values. */
function choiceSchema<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (issue) => `${quoted(issue.input)} is not one of ${values.join(", ")}` });
}

/** A whole number in a range. */
function wholeNumberSchema(what: string, min: number, max: number) {
  const outOfRange = (issue: { input?: unknown }) => `${quoted(issue.input)} is not ${what}: give a whole number from ${min} to ${max}`;
  return z.number({ error: outOfRange }).int({ error: outOfRange }).min(min, { error: outOfRange }).max(max, { error: outOfRange });
}

/** A date inside the calendar the warehouse covers. */
export const calendarDaySchema = z.string({ error: (issue) => `must be a date written as YYYY-MM-DD (not ${quoted(issue.input)})` }).superRefine((value, ctx) => {
  if (!isIsoDate(value)) ctx.addIssue({ code: "custom", message: `${quoted(value)} is not a real date written as YYYY-MM-DD` });
  else if (value < CALENDAR_START || value > CALENDAR_END) {
    ctx.addIssue({ code: "custom", message: `${quoted(value)} is outside the calendar the warehouse covers (${CALENDAR_START} to ${CALENDAR_END})` });
  }
});

export const partnershipCodeInput = referenceCodeSchema("a partnership code");
export const agencyCodeInput = referenceCodeSchema("an agency code");
export const themeCodeInput = referenceCodeSchema("a theme code");

/** Each value once (as written: dates, codes). */
function noRepeats(what: string) {
  return (values: string[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    values.forEach((value, i) => {
      const key = value.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i], message: `${what} ${quoted(value)} is listed twice` });
      seen.add(key);
    });
  };
}

/** Statistical-process-control targets by measure (IMPORT-FORMAT.md, `targets`). */
export const targetsInput = z
  .record(z.string(), z.number({ error: (issue) => `${quoted(issue.input)} is not a number` }).finite().min(0, { error: (issue) => `${quoted(issue.input)} is below 0` }))
  .superRefine((targets, ctx) => {
    for (const [key, value] of Object.entries(targets)) {
      if (!(TARGET_MEASURES as readonly string[]).includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `${quoted(key)} is not a measure with a target; use one of ${TARGET_MEASURES.join(", ")}` });
      } else if (key.endsWith("Pct") && value > 100) {
        ctx.addIssue({ code: "custom", path: [key], message: `${value} is a percentage above 100` });
      }
    }
  });

/** `reference.savePartnership`: a partnership's settings (its procedure, agencies and themes have their own). */
export const partnershipInput = z.object({
  code: partnershipCodeInput,
  name: textSchema("the partnership's name", 200),
  quarterLabels: choiceSchema(["calendar", "financial"] as const),
  disclosureProfile: choiceSchema(["dfe", "nhs"] as const),
  chairFollowUpLimitWorkingDays: wholeNumberSchema("a number of working days", 0, MAX_LIMIT_DAYS),
  closureDays: z.array(calendarDaySchema).max(2000, { error: "lists more than 2000 closure days" }).superRefine(noRepeats("closure day")),
  targets: targetsInput,
  /** True to create a new partnership (an admin for all partnerships only); otherwise the partnership must exist. */
  create: z.boolean().optional(),
});
export type PartnershipInput = z.input<typeof partnershipInput>;

const stageInput = z.object({
  number: wholeNumberSchema("a stage number", 1, MAX_STAGES),
  name: textSchema("the stage's name", 200),
  /** Who acts at the stage (e.g. "Senior manager"); empty or null for none. */
  level: z
    .string({ error: (issue) => `must be text or null (not ${quoted(issue.input)})` })
    .trim()
    .max(200, { error: (issue) => `the level is longer than 200 characters (${quoted(issue.input)})` })
    .nullable()
    .transform((level) => (level ? level : null)),
  limitDays: wholeNumberSchema("a number of days", 0, MAX_LIMIT_DAYS),
  limitUnit: choiceSchema(["working", "calendar"] as const),
});

/** One procedure version (VersionInput of the contract): the procedure as it stands from `effectiveFrom`. */
export const versionInput = z.object({
  effectiveFrom: calendarDaySchema,
  name: textSchema("the version's name", 200),
  stageWord: choiceSchema(["stage", "step"] as const),
  learningWithinMonths: wholeNumberSchema("a number of months", 1, 12),
  totalLimitWorkingDays: wholeNumberSchema("a number of working days", 0, MAX_LIMIT_DAYS).nullable(),
  stages: z
    .array(stageInput)
    .min(1, { error: "a procedure has at least one stage" })
    .max(MAX_STAGES, { error: `a procedure has at most ${MAX_STAGES} stages (the upload formats carry stage1_on to stage${MAX_STAGES}_on)` })
    .superRefine((stages, ctx) => {
      stages.forEach((s, i) => {
        if (s.number !== i + 1) ctx.addIssue({ code: "custom", path: [i, "number"], message: `${s.number} is out of order: stages are numbered 1, 2, 3 … with no gaps, so this one is ${i + 1}` });
      });
    }),
});
export type VersionInput = z.input<typeof versionInput>;
export type VersionValues = z.output<typeof versionInput>;

/** `reference.saveVersion` and `reference.previewVersion`. */
export const saveVersionInput = z.object({
  partnership: partnershipCodeInput,
  version: versionInput,
  /** The effectiveFrom of the version being edited (absent: a new version). */
  replaces: calendarDaySchema.optional(),
});
export type SaveVersionInput = z.input<typeof saveVersionInput>;

export const previewVersionInput = saveVersionInput.extend({
  /** The as-of date the figures are compared at (default today in Europe/London). */
  asOf: calendarDaySchema.optional(),
});
export type PreviewVersionInput = z.input<typeof previewVersionInput>;

export const deleteVersionInput = z.object({ partnership: partnershipCodeInput, effectiveFrom: calendarDaySchema });
export type DeleteVersionInput = z.input<typeof deleteVersionInput>;

/** `reference.saveAgency`: partnerships outside the admin's scope that the agency belongs to are kept whatever is listed. */
export const agencyInput = z.object({
  code: agencyCodeInput,
  name: textSchema("the agency's name", 200),
  sector: choiceSchema(SECTORS),
  aliases: z.array(textSchema("an alias", 200)).max(100, { error: "lists more than 100 aliases" }).superRefine(noRepeats("alias")),
  partnerships: z.array(partnershipCodeInput).max(200, { error: "lists more than 200 partnerships" }).superRefine(noRepeats("partnership")),
  create: z.boolean().optional(),
});
export type AgencyInput = z.input<typeof agencyInput>;

export const themeInput = z.object({
  code: themeCodeInput,
  label: textSchema("the theme's label", 200),
  synonyms: z.array(textSchema("a synonym", 200)).max(100, { error: "lists more than 100 synonyms" }).superRefine(noRepeats("synonym")),
});

/** `reference.saveThemes`: the partnership's own themes (beside the standard ones), the whole list. */
export const themesInput = z.object({
  partnership: partnershipCodeInput,
  themes: z
    .array(themeInput)
    .max(200, { error: "lists more than 200 themes" })
    .superRefine((themes, ctx) => noRepeats("theme code")(themes.map((t) => t.code), ctx)),
});
export type ThemesInput = z.input<typeof themesInput>;

/**
 * `reference.saveBankHolidays`: the deployment's whole list of corrections to the built-in England
 * and Wales bank holidays (as a reference-data file's `bankHolidays` gives them), replacing the list
 * held: `add` holidays the built-in list lacks (or renames), `remove` built-in dates that are not holidays.
 */
export const bankHolidaysInput = z
  .object({
    add: z
      .array(z.object({ date: calendarDaySchema, name: textSchema("the holiday's name", 200) }))
      .max(500, { error: "lists more than 500 holidays" })
      .superRefine((add, ctx) => noRepeats("date")(add.map((h) => h.date), ctx)),
    remove: z.array(calendarDaySchema).max(500, { error: "lists more than 500 dates" }).superRefine(noRepeats("date")),
  })
  .superRefine((value, ctx) => {
    value.remove.forEach((date, i) => {
      if (value.add.some((h) => h.date === date)) ctx.addIssue({ code: "custom", path: ["remove", i], message: `${quoted(date)} is both added and removed: choose one` });
    });
  });
export type BankHolidaysInput = z.input<typeof bankHolidaysInput>;
