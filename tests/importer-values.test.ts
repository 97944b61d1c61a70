import { describe, expect, it } from "vitest";
import { mapHeaders, HeaderError } from "../importers/headers";
import { readHeaderLine } from "../importers/readCsv";
import { parseMonth, parseUkDate } from "../importers/values";
import { comparableRecordRef } from "../importers/identity";
import { isValidNhsNumber } from "../importers/pseudonymise";

describe("UK dates", () => {
  it.each([
    "2025-03-03", "03/03/2025", "3/3/2025", "03-03-2025", "03.03.2025", "3 Mar 2025", "3 March 2025", "3rd March 2025",
    "03/03/2025 14:30", "03/03/2025 14:30:15", "2025-03-03T14:30:00", "2025-03-03T14:30:00Z", "  03/03/2025  ",
  ])("reads %j as 3 March 2025", (text) => {
    expect(parseUkDate(text)).toEqual({ ok: true, value: { date: "2025-03-03", twoDigitYear: false } });
  });

  it.each(["03/03/25", "3/3/25", "03-03-25", "03.03.25", "3/3/25 09:15"])("reads the two-digit year in %j as 2025, and says so", (text) => {
    expect(parseUkDate(text)).toEqual({ ok: true, value: { date: "2025-03-03", twoDigitYear: true } });
  });

  it("refuses US order, impossible dates and dates outside the calendar, never guessing", () => {
    expect(parseUkDate("12/31/2025")).toEqual({ ok: false, reason: "looks like month/day/year (US order); dates are day first, e.g. 31/12/2025" });
    expect(parseUkDate("31/02/2025")).toEqual({ ok: false, reason: "is not a real date" });
    expect(parseUkDate("29/02/2025")).toEqual({ ok: false, reason: "is not a real date" });
    expect(parseUkDate("29/02/2024")).toEqual({ ok: true, value: { date: "2024-02-29", twoDigitYear: false } });
    expect(parseUkDate("03/03/2014")).toEqual({ ok: false, reason: "is outside the calendar the product covers (1 January 2015 to 31 December 2030)" });
    expect(parseUkDate("3 Marzo 2025")).toMatchObject({ ok: false, reason: expect.stringContaining('month name we do not recognise ("Marzo")') });
    expect(parseUkDate("03/03/2025 later")).toMatchObject({ ok: false });
    expect(parseUkDate("45")).toMatchObject({ ok: false, reason: expect.stringContaining("is not a date we can read") });
    // Mixed separators are not one of the forms.
    expect(parseUkDate("03/03-2025")).toMatchObject({ ok: false });
  });

  it("reads months as yyyy-mm or from a date", () => {
    expect(parseMonth("2025-03")).toEqual({ ok: true, value: { date: "2025-03-01", twoDigitYear: false } });
    expect(parseMonth("17/03/2025")).toEqual({ ok: true, value: { date: "2025-03-01", twoDigitYear: false } });
    expect(parseMonth("2025-13")).toEqual({ ok: false, reason: "is not a real month" });
  });
});

describe("headers", () => {
  it("matches names case-insensitively with space, '-', '_' and '.' alike, and aliases", () => {
    const mapping = mapHeaders("escalations", ["Ref", "Raised By", "to-agency", "Concern.Arose.On", " THEME ", "Outcome", "Stage 2 date", "step3_on", "Notes"]);
    expect(Object.fromEntries(mapping.columns)).toEqual({
      record_ref: 0, raising_agency: 1, receiving_agency: 2, concern_arose_on: 3, themes: 4, status: 5, stage2_on: 6, stage3_on: 7,
    });
    expect(mapping.unknown).toEqual(["Notes"]);
  });

  it("lets a column's own name win over another column's alias", () => {
    // "agency" is the dissent column dissenting_agency's alias; here both appear.
    // A case system's own "ID" column beside record_ref is ignored, not a clash.
    const mapping = mapHeaders("dissent", ["record_ref", "conference_date", "type", "agency", "decision", "reason", "status", "ID"]);
    expect(mapping.columns.get("record_ref")).toBe(0);
    expect(mapping.unknown).toEqual(["ID (record_ref is given by its own column)"]);
    // Two aliases of one column are ambiguous.
    expect(() => mapHeaders("dissent", ["ref", "id", "conference_date", "type", "agency", "decision", "reason", "status"])).toThrow(
      'Columns 1 ("ref") and 2 ("id") both give record_ref; keep one of them and upload the file again.',
    );
  });

  it("refuses a file missing a required column, naming it and its aliases", () => {
    expect(() => mapHeaders("conference_activity", ["partnership", "month", "initial_conferences"])).toThrow(HeaderError);
    expect(() => mapHeaders("conference_activity", ["partnership", "month", "initial_conferences"])).toThrow(/has no review_conferences column/);
  });
});

describe("small rules", () => {
  it("reads the delimiter and the line ending from the header line, ignoring quoted text", () => {
    expect(readHeaderLine("a,b,c\n1;2;3")).toEqual({ delimiter: ",", newline: "\n" });
    expect(readHeaderLine("a;b;c\r\n")).toEqual({ delimiter: ";", newline: "\r\n" });
    expect(readHeaderLine("a\tb\tc")).toEqual({ delimiter: "\t", newline: "\n" });
    expect(readHeaderLine('"x;y;z\r\n",b\r1,2')).toEqual({ delimiter: ",", newline: "\r" });
  });

  it("compares digits-only references without leading zeros", () => {
    expect(comparableRecordRef("000123")).toBe("123");
    expect(comparableRecordRef("0")).toBe("0");
    expect(comparableRecordRef("00A1")).toBe("00A1");
  });

  it("checks NHS numbers' modulus-11 check digit", () => {
    // 943 476 5919: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9 ✓.
    expect(isValidNhsNumber("9434765919")).toBe(true);
    expect(isValidNhsNumber("9434765918")).toBe(false);
  });
});
