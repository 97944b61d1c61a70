/**
 * The warehouse's calendar table and the TypeScript calendar must agree on every date pair in
 * 2015–2030. The SQL side gives wd(a, b) = number(b) − number(a), so it is enough that (1) every
 * date's working-day flag matches TypeScript's, and (2) each number grows by exactly that day's
 * flag; then every pair agrees. A property test also checks random pairs end to end, through SQL.
 */
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import { partnerships } from "../db/schema";
import { englandAndWalesBankHolidays } from "../server/calendar/bankHolidays";
import { loadWorkingDayCalendar, wdSql } from "../server/calendar/calendarTable";
import { CALENDAR_END, CALENDAR_START, eachDate, fromDayNumber, toDayNumber } from "../server/calendar/dates";
import { WorkingDayCalendar } from "../server/calendar/workingDays";
import { useTestWarehouse } from "./support/db";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
const ids = new Map<string, number>();
const holidays = englandAndWalesBankHolidays().map((h) => h.date);
// "north" closes on Mon 29 Dec 2025, and lists two days that are already not working days
// (Christmas Day, a bank holiday; Saturday 27 December): neither may be counted twice.
const tsCalendars = {
  north: new WorkingDayCalendar(holidays, ["2025-12-29", "2025-12-25", "2025-12-27"]),
  south: new WorkingDayCalendar(holidays),
};

beforeAll(async () => {
  await loadSmallWorld(ctx.db);
  for (const p of await ctx.db.select().from(partnerships)) ids.set(p.code, p.id);
});

async function sqlWd(partnership: "north" | "south", pairs: Array<[string, string]>): Promise<number[]> {
  const rows = await queryRows<{ i: number; wd: number }>(
    ctx.db,
    sql`select x.i, ${wdSql(sql`${ids.get(partnership)!}::int`, sql`x.a`, sql`x.b`)} as wd
        from jsonb_to_recordset(${JSON.stringify(pairs.map(([a, b], i) => ({ i, a, b })))}::jsonb) as x(i int, a date, b date)
        order by x.i`,
  );
  return rows.map((r) => r.wd);
}

describe("the calendar table", () => {
  it.each(["north", "south"] as const)("agrees with TypeScript on every date's working-day flag and running number (%s)", async (code) => {
    const rows = await queryRows<{ date: string; is_working_day: boolean; working_day_number: number }>(
      ctx.db,
      sql`select date::text as date, is_working_day, working_day_number from calendar_days
          where partnership_id = ${ids.get(code)!} order by date`,
    );
    const dates = eachDate(CALENDAR_START, CALENDAR_END);
    expect(rows.map((r) => r.date)).toEqual(dates);
    let expectedNumber = 0;
    const mismatches: string[] = [];
    for (const row of rows) {
      const working = tsCalendars[code].isWorkingDay(row.date);
      expectedNumber += working ? 1 : 0;
      if (row.is_working_day !== working || row.working_day_number !== expectedNumber) {
        mismatches.push(`${row.date}: sql ${row.is_working_day}/${row.working_day_number}, ts ${working}/${expectedNumber}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("gives the hand-worked examples through SQL", async () => {
    // Christmas 2025 for north: Thu 25, Fri 26 holidays, weekend, Mon 29 closure → only Tue 30 counts.
    // For south Mon 29 is a working day: Mon 29 and Tue 30.
    expect(await sqlWd("north", [["2025-12-24", "2025-12-30"], ["2025-12-24", "2025-12-24"]])).toEqual([1, 0]);
    expect(await sqlWd("south", [["2025-12-24", "2025-12-30"]])).toEqual([2]);
    // Fri → Mon = 1; Easter 2025 (Thu 17 → Tue 22) = 1; 2022's jubilee week (Wed 1 → Mon 6 June) = 1;
    // state funeral (Fri 16 → Tue 20 Sep 2022) = 1; Christmas 2021 on a Saturday (Fri 24 → Wed 29) = 1.
    expect(
      await sqlWd("south", [
        ["2025-03-07", "2025-03-10"],
        ["2025-04-17", "2025-04-22"],
        ["2022-06-01", "2022-06-06"],
        ["2022-09-16", "2022-09-20"],
        ["2021-12-24", "2021-12-29"],
      ]),
    ).toEqual([1, 1, 1, 1, 1]);
  });

  it("matches TypeScript's wd on random date pairs across 2015–2030 (property test)", async () => {
    const first = toDayNumber(CALENDAR_START);
    const last = toDayNumber(CALENDAR_END);
    const pair = fc
      .tuple(fc.integer({ min: first, max: last }), fc.integer({ min: 0, max: 400 }))
      .map(([a, span]) => [fromDayNumber(a), fromDayNumber(Math.min(last, a + span))] as [string, string]);
    const samples = fc.sample(fc.tuple(fc.constantFrom("north" as const, "south" as const), pair), { numRuns: 3000, seed: 42 });
    for (const code of ["north", "south"] as const) {
      const pairs = samples.filter(([c]) => c === code).map(([, p]) => p);
      const fromSql = await sqlWd(code, pairs);
      const fromTs = pairs.map(([a, b]) => tsCalendars[code].wd(a, b));
      expect(fromSql).toEqual(fromTs);
    }
  });

  it("is what loadWorkingDayCalendar rebuilds in TypeScript from the warehouse", async () => {
    const loaded = await loadWorkingDayCalendar(ctx.db, ids.get("north")!);
    expect(loaded.wd("2025-12-24", "2025-12-30")).toBe(1);
    expect(loaded.wd("2015-01-01", "2030-12-31")).toBe(tsCalendars.north.wd("2015-01-01", "2030-12-31"));
  });
});
