import type { Metadata } from "next";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { formatUkDate } from "@/server/calendar/dates";
import { AdminOnly } from "../adminPage";
import { BankHolidaysForm } from "./BankHolidaysForm";

export const metadata: Metadata = { title: "Bank holidays" };

export default async function BankHolidaysPage() {
  const capabilities = await capabilitiesFor("/admin/bank-holidays");
  if (!capabilities.maySetUpPartnerships) return <AdminOnly title="Bank holidays" />;
  const corrections = await capabilities.caller.reference.bankHolidays();
  const none = corrections.add.length === 0 && corrections.remove.length === 0;
  return (
    <>
      <h1 className="govuk-heading-xl">Bank holidays</h1>
      <p className="lede">
        Working days leave out weekends, England and Wales bank holidays and each partnership&apos;s closure days. The warehouse knows the bank
        holidays from 2015 to 2030; correct them here when one is added or moved.
      </p>
      <div className="govuk-inset-text">
        These corrections are every partnership&apos;s, so only a business manager for all partnerships saves them. Saving counts every
        partnership&apos;s working days again, and with them every figure judged in working days.
      </div>
      <h2 className="govuk-heading-m">Corrections in force</h2>
      {none ? (
        <p className="govuk-body" data-testid="holidays-held">
          None: the built-in list is used as it is.
        </p>
      ) : (
        <ul className="govuk-list govuk-list--bullet" data-testid="holidays-held">
          {corrections.add.map((h) => (
            <li key={`add-${h.date}`}>
              {formatUkDate(h.date)} added: {h.name}
            </li>
          ))}
          {corrections.remove.map((d) => (
            <li key={`remove-${d}`}>{formatUkDate(d)} taken off: not a bank holiday</li>
          ))}
        </ul>
      )}
      <BankHolidaysForm add={corrections.add} remove={corrections.remove} />
    </>
  );
}
