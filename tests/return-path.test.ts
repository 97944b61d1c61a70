/**
 * Where sign-in sends someone afterwards (issue 16, finding 3): `/sign-in?next=/%5Cevil.example`
 * passed the old "one slash, not two" check, and a browser resolves "/\evil.example" to
 * https://evil.example. Each value here is what the page receives after the URL is decoded.
 */
import { describe, expect, it } from "vitest";
import { safeReturnPath } from "../app/lib/returnPath";

/** What a browser does with the path on a page of https://warehouse.example. */
const landsOn = (path: string) => new URL(path, "https://warehouse.example/sign-in").origin;

describe("safeReturnPath", () => {
  it.each([
    "/\\evil.example", // ?next=/%5Cevil.example
    "/\\\\evil.example", // ?next=/%5C%5Cevil.example
    "/\t/evil.example", // ?next=/%09/evil.example: the tab is dropped, leaving //evil.example
    "/\tevil",
    "/\n/evil.example",
    "//evil",
    "///evil",
    "https://evil",
    "http:evil",
    "javascript:alert(1)",
    " /records",
    "evil",
    "",
    "/%5C%5Cevil.example", // double-encoded
    "/%2F%2Fevil.example",
  ])("refuses %j: the start page instead", (next) => {
    expect(safeReturnPath(next)).toBe("/");
  });

  it("the old check let through values a browser takes to another site", () => {
    const oldCheck = (next: string) => next.startsWith("/") && !next.startsWith("//");
    for (const next of ["/\\evil.example", "/\\\\evil.example", "/\t/evil.example"]) {
      expect([next, oldCheck(next), landsOn(next)]).toEqual([next, true, "https://evil.example"]);
      expect(safeReturnPath(next)).toBe("/");
    }
  });

  it.each([
    ["/", "/"],
    ["/records?partnership=north&asOf=2026-01-09", "/records?partnership=north&asOf=2026-01-09"],
    ["/agencies/CSC#evidence", "/agencies/CSC#evidence"],
    ["/records/north/12", "/records/north/12"],
    ["/a/../records", "/records"],
  ])("keeps the path on this site %j", (next, kept) => {
    expect(safeReturnPath(next)).toBe(kept);
    expect(landsOn(kept)).toBe("https://warehouse.example");
  });

  it("refuses what is not a string (a repeated ?next=) and very long values", () => {
    expect(safeReturnPath(["/records", "/audit"])).toBe("/");
    expect(safeReturnPath(undefined)).toBe("/");
    expect(safeReturnPath(`/${"a".repeat(3000)}`)).toBe("/");
  });
});
