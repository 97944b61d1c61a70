/**
 * The dashboard pages' URL filters through the shared input schemas (issue 16, finding 5): dates
 * outside the calendar (9999-12-31, 0001-01-01) made every dashboard page answer 500, because the
 * page's own regex let them through to procedures that refuse them. Each is now named in the error
 * summary and replaced by its default, and what reaches the procedures is always accepted by them.
 */
import { describe, expect, it } from "vitest";
import { parseFilters, quarterChoices, type SearchParams } from "../app/lib/dashboard";
import { figureFiltersSchema } from "../server/inputs";
import type { PartnershipSummary } from "../server/partnerships/list";

const north = { code: "north", name: "North", quarterLabels: "calendar" } as PartnershipSummary;
const parse = (params: SearchParams) => parseFilters(params, [north]);
const accepted = (params: SearchParams) => {
  const { filters } = parse(params);
  return figureFiltersSchema.safeParse({ partnerships: filters.partnerships, from: filters.from, to: filters.quarter, asOf: filters.asOf, agency: filters.agency, theme: filters.theme }).success;
};

describe("parseFilters", () => {
  it.each(["9999-12-31", "0001-01-01", "2026-02-30", "yesterday", "2031-01-01"])("an as-of date of %s is named and left out", (asOf) => {
    const { filters, errors } = parse({ asOf });
    expect(filters.asOf).toBeUndefined();
    expect(errors).toEqual([{ field: "asOf", message: expect.stringContaining(`"${asOf}"`) }]);
    expect(accepted({ asOf })).toBe(true);
  });

  it("an as-of date before any quarter of the calendar ended is named (no figures could be shown for it)", () => {
    // The calendar starts 2015-01-01: on 5 January 2015 the last complete quarter is 2014-Q4, outside it.
    const { filters, errors } = parse({ asOf: "2015-01-05" });
    expect([filters.asOf, errors[0]?.field]).toEqual([undefined, "asOf"]);
    expect(accepted({ asOf: "2015-01-05" })).toBe(true);
  });

  it("early in the calendar the run of quarters starts at its first quarter", () => {
    // As of 1 October 2015 the last complete quarter is 2015-Q3; eight quarters back would be 2013-Q4.
    expect(parse({ asOf: "2015-10-01" }).filters).toMatchObject({ quarter: "2015-Q3", from: "2015-Q1", asOf: "2015-10-01" });
    expect(accepted({ asOf: "2015-10-01" })).toBe(true);
    expect(quarterChoices("2015-10-01")).toEqual(["2015-Q3", "2015-Q2", "2015-Q1"]);
  });

  it.each([
    [{ quarter: "2014-Q4", asOf: "2026-01-09" }, "quarter", '"2014-Q4" is outside the calendar'],
    [{ quarter: "2025-Q5", asOf: "2026-01-09" }, "quarter", '"2025-Q5" is not a quarter'],
    [{ from: "2019-Q1", quarter: "2025-Q4", asOf: "2026-01-09" }, "from", "at most 20 quarters"],
    [{ from: "2026-Q1", quarter: "2025-Q4", asOf: "2026-01-09" }, "from", "is after the last"],
    [{ agency: "x".repeat(500), asOf: "2026-01-09" }, "agency", "is not an agency code"],
    [{ theme: "<script>", asOf: "2026-01-09" }, "theme", "is not a theme code"],
    [{ partnership: "no such!", asOf: "2026-01-09" }, "partnership", "is not a partnership code"],
    [{ partnership: "south", asOf: "2026-01-09" }, "partnership", 'You cannot see a partnership with the code "south"'],
  ])("%j: the %s is named (%s), and the view falls back to what the procedures accept", (params, field, text) => {
    const { errors } = parse(params as SearchParams);
    expect(errors).toEqual([{ field, message: expect.stringContaining(text) }]);
    expect(accepted(params as SearchParams)).toBe(true);
  });

  it("good filters pass unchanged", () => {
    expect(parse({ partnership: "north", quarter: "2025-Q4", from: "2025-Q3", asOf: "2026-01-09", agency: "CSC", theme: "thresholds" })).toEqual({
      filters: { partnerships: ["north"], quarter: "2025-Q4", from: "2025-Q3", asOf: "2026-01-09", agency: "CSC", theme: "thresholds" },
      errors: [],
    });
  });
});
