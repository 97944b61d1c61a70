/**
 * The shapes route handlers read from query strings and forms, built from server/inputs.ts: the
 * dashboard's filters as a page's URL carries them (`partnership` repeated, `quarter`, `from`…).
 */
import { z } from "zod";
import { agencyCodeSchema, asOfSchema, partnershipCodesSchema, quarterInputSchema, themeCodeSchema, withQuarterRun } from "../server/inputs";
import { many, one } from "./door";

/** `partnership` once or repeated, as a list of codes. */
export const partnershipsField = z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), partnershipCodesSchema);

/** A page's filters; `from` defaults to `quarter` (one quarter). */
export const pageFiltersSchema = z.preprocess(
  (raw) => {
    const value = (raw ?? {}) as Record<string, unknown>;
    return { ...value, from: value.from ?? value.quarter };
  },
  withQuarterRun(
    z.object({
      partnership: partnershipsField,
      quarter: one(quarterInputSchema),
      from: one(quarterInputSchema),
      asOf: one(asOfSchema).optional(),
      agency: one(agencyCodeSchema).optional(),
      theme: one(themeCodeSchema).optional(),
    }),
  ),
);

export type PageFilters = z.infer<typeof pageFiltersSchema>;

export function formatSchema<const T extends readonly [string, ...string[]]>(formats: T, fallback: T[number]) {
  return one(z.enum(formats, { error: (issue) => `format must be ${formats.join(" or ")}, not ${JSON.stringify(String(issue.input).slice(0, 40))}` })).default(fallback);
}

export { many, one };
