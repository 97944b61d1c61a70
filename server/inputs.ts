/**
 * The one set of input schemas every door parses with: tRPC procedures, route handlers and the
 * pages' URL filters. Each refusal is a plain-English message that names the value it refused, so
 * a bad link or a hand-made request gets a 400 (or the page's error summary), never a 500.
 */
import { z } from "zod";
import { CALENDAR_END, CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, CALENDAR_START, isIsoDate, type IsoDate } from "./calendar/dates";
import { parseQuarter, quarterRange, type Quarter } from "./calendar/quarters";

/** The longest run of quarters a view or download covers (five years). */
export const MAX_QUARTERS = 20;

const quoted = (value: unknown) => (typeof value === "string" ? `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"` : String(value));

/** A code of the reference data (partnership, agency, theme): letters, digits, _ . - only. */
function codeSchema(what: string, max: number) {
  return z.string({ error: `must be ${what}` }).superRefine((value, ctx) => {
    if (!new RegExp(`^[A-Za-z0-9_.-]{1,${max}}$`).test(value)) {
      ctx.addIssue({ code: "custom", message: `${quoted(value)} is not ${what} (letters, digits, "_", "." or "-", at most ${max} characters)` });
    }
  });
}

export const partnershipCodeSchema = codeSchema("a partnership code", 60);
export const agencyCodeSchema = codeSchema("an agency code", 40);
export const themeCodeSchema = codeSchema("a theme code", 60);

/** One or more partnership codes (at most 50), each once. */
export const partnershipCodesSchema = z
  .array(partnershipCodeSchema, { error: "choose at least one partnership" })
  .min(1, "choose at least one partnership")
  .max(50, "choose at most 50 partnerships")
  .transform((codes) => [...new Set(codes)]);

/** A date inside the calendar the warehouse covers (the working-day calendar has no other days). */
export const calendarDateSchema = z.string({ error: "must be a date written as YYYY-MM-DD" }).superRefine((value, ctx) => {
  if (!isIsoDate(value)) ctx.addIssue({ code: "custom", message: `${quoted(value)} is not a real date written as YYYY-MM-DD` });
  else if (value < CALENDAR_START || value > CALENDAR_END) {
    ctx.addIssue({ code: "custom", message: `${quoted(value)} is outside the calendar the warehouse covers (${CALENDAR_START} to ${CALENDAR_END})` });
  }
});

/** The as-of date of a view: figures as they stood on that day. */
export const asOfSchema = calendarDateSchema;

/** A quarter named YYYY-Qn, inside the calendar. */
export const quarterInputSchema = z.string({ error: "must be a quarter written as YYYY-Qn" }).superRefine((value, ctx) => {
  if (!/^\d{4}-Q[1-4]$/.test(value)) ctx.addIssue({ code: "custom", message: `${quoted(value)} is not a quarter written like 2025-Q3` });
  else {
    const { year } = parseQuarter(value);
    if (year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
      ctx.addIssue({ code: "custom", message: `${quoted(value)} is outside the calendar the warehouse covers (${CALENDAR_FIRST_YEAR}-Q1 to ${CALENDAR_LAST_YEAR}-Q4)` });
    }
  }
});

/** Checks a run of quarters: the first not after the last, at most MAX_QUARTERS long. A message, or null. */
export function quarterRunProblem(from: Quarter, to: Quarter): string | null {
  // A quarter that is not one has its own message already (zod runs this check even then).
  if (!quarterInputSchema.safeParse(from).success || !quarterInputSchema.safeParse(to).success) return null;
  if (from > to) return `the first quarter (${from}) is after the last (${to})`;
  if (quarterRange(from, to).length > MAX_QUARTERS) return `choose a run of at most ${MAX_QUARTERS} quarters (${from} to ${to} is longer)`;
  return null;
}

/** Adds the run-of-quarters check to an object schema with `from` and `to` (or `quarter`) fields. */
export function withQuarterRun<T extends z.ZodType<{ from: Quarter } & ({ to: Quarter } | { quarter: Quarter })>>(schema: T) {
  return schema.superRefine((value, ctx) => {
    const to = "to" in value ? value.to : value.quarter;
    const problem = quarterRunProblem(value.from, to);
    if (problem) ctx.addIssue({ code: "custom", path: ["from"], message: problem });
  });
}

/** The id of a stored thing (a record, report, sample, batch, return): a whole number from 1. */
export function idSchema(what: string) {
  const notAnId = (issue: { input?: unknown }) => `${quoted(String(issue.input))} is not ${what}'s number`;
  return z
    .number({ error: notAnId })
    .int({ error: notAnId })
    .min(1, { error: (issue) => `${quoted(String(issue.input))} is not ${what}'s number (numbers start at 1)` })
    .max(2_147_483_647, { error: notAnId });
}

/** An id written in a path or a form field: digits only, so "1e3", " 7" or "0x10" are refused rather than coerced. */
export function writtenIdSchema(what: string) {
  return z
    .string({ error: `must be ${what}'s number` })
    .regex(/^\d{1,10}$/, { error: (issue) => `${quoted(issue.input)} is not ${what}'s number` })
    .transform(Number)
    .pipe(idSchema(what));
}

/** Free text a person types into a filter (an audit action, an actor's email). */
export function filterTextSchema(what: string, max: number) {
  return z.string().max(max, { error: (issue) => `${what} is longer than ${max} characters (${quoted(issue.input)})` });
}

/** The dashboard's filters: partnerships, a run of quarters, the as-of date, an agency and a theme. */
export const figureFiltersSchema = withQuarterRun(
  z.object({
    partnerships: partnershipCodesSchema,
    from: quarterInputSchema,
    to: quarterInputSchema,
    asOf: asOfSchema.optional(),
    agency: agencyCodeSchema.optional(),
    theme: themeCodeSchema.optional(),
  }),
);

export type FigureFilters = z.infer<typeof figureFiltersSchema>;

/** A zod failure as one plain-English line ("asOf: "9999-12-31" is outside …; quarter: …"). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; ");
}

export type { IsoDate, Quarter };
