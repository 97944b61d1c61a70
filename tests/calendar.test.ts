import { describe, expect, it } from "vitest";
import {
  englandAndWalesBankHolidays,
  easterSunday,
  LAST_PUBLISHED_YEAR,
  standardBankHolidays,
  bankHolidaysWithCorrections,
} from "../server/calendar/bankHolidays";
import { addCalendarMonths, isoDayOfWeek, todayInLondon } from "../server/calendar/dates";
import { lastCompleteQuarter, quarterLabel, quarterOf, quarterPeriod, quarterRange } from "../server/calendar/quarters";
import { WorkingDayCalendar } from "../server/calendar/workingDays";

const holidays = englandAndWalesBankHolidays().map((h) => h.date);
const calendar = new WorkingDayCalendar(holidays);
// Hampshire in the demo reference data closes on Monday 29 December 2025.
const hampshire = new WorkingDayCalendar(holidays, ["2025-12-29"]);

describe("England and Wales bank holidays", () => {
  it("has eight a year, nine or ten in the years with one-offs, and only weekdays", () => {
    const perYear = new Map<string, number>();
    for (const d of holidays) perYear.set(d.slice(0, 4), (perYear.get(d.slice(0, 4)) ?? 0) + 1);
    // 2020 moved a holiday (still 8); 2022 moved one and added two (10); 2023 added one (9).
    const expected = (year: string) => (year === "2022" ? 10 : year === "2023" ? 9 : 8);
    for (let year = 2015; year <= 2030; year++) expect([String(year), perYear.get(String(year))]).toEqual([String(year), expected(String(year))]);
    for (const d of holidays) expect(isoDayOfWeek(d), d).toBeLessThan(6);
  });

  it("includes every one-off and moved holiday, and not the days they replaced", () => {
    for (const d of ["2020-05-08", "2022-06-02", "2022-06-03", "2022-09-19", "2023-05-08"]) expect(holidays).toContain(d);
    // VE day moved the early May holiday off Monday 4 May 2020; the jubilee moved spring off 30 May 2022.
    expect(holidays).not.toContain("2020-05-04");
    expect(holidays).not.toContain("2022-05-30");
  });

  it("puts substitute days where the published lists do", () => {
    // Christmas on a Saturday (2021): Mon 27 and Tue 28; on a Sunday (2016, 2022): Boxing Day Mon 26, Christmas Tue 27.
    expect(holidays).toEqual(expect.arrayContaining(["2021-12-27", "2021-12-28", "2016-12-26", "2016-12-27", "2022-12-26", "2022-12-27"]));
    // Boxing Day on a Saturday (2015, 2020, 2026): Mon 28. New Year on a weekend (2017, 2022, 2023, 2028): next Monday.
    expect(holidays).toEqual(expect.arrayContaining(["2015-12-28", "2020-12-28", "2026-12-28", "2017-01-02", "2022-01-03", "2023-01-02", "2028-01-03"]));
  });

  it("computes Easter correctly", () => {
    const easters = { 2015: "2015-04-05", 2016: "2016-03-27", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20", 2030: "2030-04-21" };
    for (const [year, date] of Object.entries(easters)) expect(easterSunday(Number(year))).toBe(date);
  });

  it("has standard rules that reproduce the published list in every year without a one-off", () => {
    const published = englandAndWalesBankHolidays().filter((h) => h.source === "published");
    for (let year = 2015; year <= LAST_PUBLISHED_YEAR; year++) {
      if ([2020, 2022, 2023].includes(year)) continue;
      const fromList = published.filter((h) => h.date.startsWith(`${year}-`)).map((h) => [h.date, h.name]);
      expect(standardBankHolidays(year)).toEqual(fromList);
    }
  });

  it("lets configuration correct a computed year", () => {
    const corrected = bankHolidaysWithCorrections({ add: [{ date: "2029-06-01", name: "A new holiday" }], remove: ["2029-05-28"] });
    expect(corrected.find((h) => h.date === "2029-06-01")).toEqual({ date: "2029-06-01", name: "A new holiday", source: "configured" });
    expect(corrected.some((h) => h.date === "2029-05-28")).toBe(false);
  });
});

describe("wd(a, b): working days d with a < d <= b", () => {
  it.each([
    // [a, b, expected, working shown]
    ["2025-03-03", "2025-03-03", 0, "same day"],
    ["2025-03-07", "2025-03-10", 1, "Fri → Mon: only Mon 10"],
    ["2025-03-03", "2025-03-10", 5, "Mon → next Mon: Tue–Fri + Mon"],
    ["2025-04-17", "2025-04-22", 1, "Easter 2025: Fri 18 Good Friday, weekend, Mon 21 Easter Monday; Tue 22 counts"],
    ["2025-04-16", "2025-04-23", 3, "Thu 17, Tue 22, Wed 23"],
    ["2021-12-24", "2021-12-29", 1, "Christmas 2021 on Saturday: Mon 27, Tue 28 substitutes; Wed 29 counts"],
    ["2021-12-31", "2022-01-04", 1, "New Year 2022 on Saturday: Mon 3 Jan substitute; Tue 4 counts"],
    ["2021-12-24", "2022-01-04", 4, "Wed 29, Thu 30, Fri 31 Dec, Tue 4 Jan"],
    ["2016-12-23", "2016-12-28", 1, "Christmas 2016 on Sunday: Mon 26 Boxing Day, Tue 27 substitute; Wed 28"],
    ["2026-12-24", "2026-12-29", 1, "Boxing Day 2026 on Saturday: Fri 25, Mon 28 substitute; Tue 29"],
    ["2022-06-01", "2022-06-06", 1, "Thu 2 June spring holiday moved, Fri 3 June jubilee; Mon 6"],
    ["2022-05-27", "2022-05-31", 2, "Mon 30 May 2022 is a working day (the holiday moved to 2 June)"],
    ["2022-09-16", "2022-09-20", 1, "Mon 19 Sep 2022 state funeral; Tue 20"],
    ["2020-05-07", "2020-05-11", 1, "Fri 8 May 2020 VE day; Mon 11"],
    ["2020-05-01", "2020-05-05", 2, "Mon 4 May 2020 was a working day; Mon 4, Tue 5"],
    ["2023-05-05", "2023-05-09", 1, "Mon 8 May 2023 coronation; Tue 9"],
  ])("wd(%s, %s) = %i (%s)", (a, b, expected) => {
    expect(calendar.wd(a, b)).toBe(expected);
  });

  it("skips a partnership's closure day only for that partnership", () => {
    // Wed 24 Dec 2025 → Tue 30 Dec: Thu 25, Fri 26 holidays; weekend; Mon 29 Hampshire closure; Tue 30.
    expect(hampshire.wd("2025-12-24", "2025-12-30")).toBe(1);
    // Without the closure Mon 29 and Tue 30 both count.
    expect(calendar.wd("2025-12-24", "2025-12-30")).toBe(2);
    expect(hampshire.isWorkingDay("2025-12-29")).toBe(false);
  });

  it("refuses dates outside 2015–2030 and pairs in the wrong order", () => {
    expect(() => calendar.wd("2014-12-31", "2015-01-05")).toThrow(/outside the calendar/);
    expect(() => calendar.wd("2025-01-06", "2025-01-03")).toThrow(/before the first/);
  });
});

describe("quarters and months", () => {
  it("names calendar quarters and their bounds", () => {
    expect(quarterOf("2025-03-31")).toBe("2025-Q1");
    expect(quarterOf("2025-04-01")).toBe("2025-Q2");
    expect(quarterPeriod("2024-Q1")).toEqual({ start: "2024-01-01", end: "2024-03-31" });
    expect(quarterPeriod("2025-Q3")).toEqual({ start: "2025-07-01", end: "2025-09-30" });
    expect(quarterPeriod("2025-Q4")).toEqual({ start: "2025-10-01", end: "2025-12-31" });
    expect(quarterRange("2024-Q3", "2025-Q2")).toEqual(["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]);
    expect(lastCompleteQuarter("2025-09-30")).toBe("2025-Q3");
    expect(lastCompleteQuarter("2025-10-15")).toBe("2025-Q3");
  });

  it("labels quarters by financial year (April to March) when a partnership asks", () => {
    expect(quarterLabel("2025-Q1", "financial")).toBe("Q4 2024/25");
    expect(quarterLabel("2025-Q2", "financial")).toBe("Q1 2025/26");
    expect(quarterLabel("2025-Q4", "financial")).toBe("Q3 2025/26");
    expect(quarterLabel("2025-Q4", "calendar")).toBe("2025-Q4");
  });

  it("adds one calendar month, falling back to the month's last day", () => {
    expect(addCalendarMonths("2025-01-31", 1)).toBe("2025-02-28");
    expect(addCalendarMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addCalendarMonths("2025-03-15", 1)).toBe("2025-04-15");
    expect(addCalendarMonths("2025-12-31", 1)).toBe("2026-01-31");
    expect(addCalendarMonths("2025-10-31", 1)).toBe("2025-11-30");
  });

  it("takes today in Europe/London, not UTC", () => {
    // 23:30 UTC on 30 June 2025 is 00:30 on 1 July in London (BST).
    expect(todayInLondon(new Date("2025-06-30T23:30:00Z"))).toBe("2025-07-01");
    // In winter London is on UTC.
    expect(todayInLondon(new Date("2025-12-31T23:30:00Z"))).toBe("2025-12-31");
  });
});
