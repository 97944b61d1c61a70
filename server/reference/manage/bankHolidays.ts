/**
 * The deployment's corrections to the built-in England and Wales bank holidays: one list for every
 * partnership, so only a business manager for all partnerships changes it. The corrections are not
 * stored apart; they are read back from the bank-holiday table against the built-in list (a
 * 'configured' row is an addition; a built-in date missing from the table was removed).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import type { Principal } from "../../access/permissions";
import { englandAndWalesBankHolidays, type BankHolidayCorrections } from "../../calendar/bankHolidays";
import { rebuildCalendar, syncBankHolidays } from "../../calendar/calendarTable";
import type { IsoDate } from "../../calendar/dates";
import { InvalidRequestError } from "../../errors";
import { changeAudited, parseInput, requireAdminForAll } from "./common";
import { bankHolidaysInput, type BankHolidaysInput } from "./schemas";

export interface BankHolidayCorrectionList {
  add: Array<{ date: IsoDate; name: string }>;
  remove: IsoDate[];
}

/** The corrections the bank-holiday table holds now (none on a deployment that has never set it). */
export async function bankHolidayCorrections(db: Db): Promise<BankHolidayCorrectionList> {
  const rows = await queryRows<{ date: string; name: string; source: string }>(db, sql`select date::text as date, name, source from bank_holidays order by date`);
  if (rows.length === 0) return { add: [], remove: [] };
  const held = new Set(rows.map((r) => r.date));
  return {
    add: rows.filter((r) => r.source === "configured").map((r) => ({ date: r.date, name: r.name })),
    remove: englandAndWalesBankHolidays()
      .filter((h) => !held.has(h.date))
      .map((h) => h.date),
  };
}

/** The corrections, for an admin (any admin may read them: they are every partnership's working days). */
export async function getBankHolidayCorrections(db: Db): Promise<BankHolidayCorrectionList> {
  return bankHolidayCorrections(db);
}

export interface SavedBankHolidays extends BankHolidayCorrectionList {
  changed: boolean;
}

/**
 * Replaces the deployment's corrections with those given and rebuilds every partnership's calendar
 * (working days move for all of them). Only a built-in holiday can be removed.
 */
export async function saveBankHolidays(db: Db, principal: Principal, input: BankHolidaysInput): Promise<SavedBankHolidays> {
  const value = parseInput(bankHolidaysInput, input);
  await requireAdminForAll(db, principal, "reference.bank_holidays.save", "change the bank holidays: they are every partnership's");
  const builtIn = new Set(englandAndWalesBankHolidays().map((h) => h.date));
  const notHolidays = value.remove.filter((d) => !builtIn.has(d));
  if (notHolidays.length) {
    throw new InvalidRequestError(
      `remove: ${notHolidays.map((d) => `"${d}"`).join(", ")} ${notHolidays.length === 1 ? "is not a bank holiday" : "are not bank holidays"} in the built-in list, so there is nothing to remove.`,
    );
  }
  const corrections: BankHolidayCorrections = { add: [...value.add].sort((a, b) => a.date.localeCompare(b.date)), remove: [...value.remove].sort() };
  const change = { actor: principal.email, action: "reference.bank_holidays.save", scope: {}, details: { add: corrections.add, remove: corrections.remove } };
  return changeAudited(db, change, async (tx) => {
    const before = await bankHolidayCorrections(tx);
    const heldBefore = await holidayDigest(tx);
    await syncBankHolidays(tx, corrections);
    const after = await bankHolidayCorrections(tx);
    const changed = heldBefore !== (await holidayDigest(tx));
    if (changed) await rebuildCalendar(tx);
    return { result: { ...after, changed }, details: { changed, before } };
  });
}

async function holidayDigest(db: Db): Promise<string> {
  const [row] = await queryRows<{ d: string | null }>(db, sql`select string_agg(date::text || ' ' || name, '|' order by date) as d from bank_holidays`);
  return row?.d ?? "";
}
