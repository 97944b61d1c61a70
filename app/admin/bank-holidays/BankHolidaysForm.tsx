"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/trpc-client";
import { fieldAttributes, FieldError, FormResultMessage, groupClass, lines, refused, type FieldOf, type FormResult, type Problem } from "../formResult";

/**
 * The deployment's corrections to the built-in England and Wales bank holidays: days to add (a
 * one-off holiday the list lacks) and built-in days to take off. Saved as the whole list, for every
 * partnership's calendar at once.
 */
export function BankHolidaysForm({ add, remove }: { add: Array<{ date: string; name: string }>; remove: string[] }) {
  const router = useRouter();
  const [result, setResult] = useState<FormResult>(null);

  const fieldOf: FieldOf = (path) => {
    const [head, index] = path.split(".");
    const n = index !== undefined && /^\d+$/.test(index) ? ` ${Number(index) + 1}` : "";
    if (head === "add") return { id: "holidays-add", label: `Holiday to add${n}` };
    if (head === "remove") return { id: "holidays-remove", label: `Day to take off${n}` };
    return undefined;
  };

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const problems: Problem[] = [];
    const additions = lines(form.get("add")).map((line, i) => {
      const match = /^(\S+)\s+(.+)$/.exec(line);
      if (!match) problems.push({ field: "holidays-add", text: `Holiday to add ${i + 1}: "${line.slice(0, 60)}" needs a date, a space and the holiday's name` });
      return { date: match?.[1] ?? line, name: match?.[2]?.trim() ?? "" };
    });
    if (problems.length) return setResult({ ok: false, problems });
    try {
      const saved = await trpc.reference.saveBankHolidays.mutate({ add: additions, remove: lines(form.get("remove")) });
      setResult({ ok: true, text: saved.changed ? "The bank holidays are saved, and every partnership's working days are counted again." : "Nothing changed: the bank holidays already read so." });
      router.refresh();
    } catch (error) {
      setResult(refused(error, fieldOf));
    }
  }

  return (
    <form onSubmit={submit} className="panel" noValidate aria-labelledby="holidays-form-title">
      <h2 className="govuk-heading-m" id="holidays-form-title">
        Corrections
      </h2>
      <FormResultMessage result={result} testId="holidays-result" />
      <div className={groupClass(result, "holidays-add")}>
        <label className="govuk-label" htmlFor="holidays-add">
          Holidays to add
        </label>
        <div className="govuk-hint" id="holidays-add-hint">
          One a line: the date, a space, and the holiday&apos;s name. For example: 2027-06-07 Extra bank holiday.
        </div>
        <FieldError result={result} id="holidays-add" />
        <textarea
          id="holidays-add"
          name="add"
          {...fieldAttributes(result, "holidays-add", "govuk-textarea govuk-!-width-two-thirds", "holidays-add-hint")}
          rows={4}
          defaultValue={add.map((h) => `${h.date} ${h.name}`).join("\n")}
        />
      </div>
      <div className={groupClass(result, "holidays-remove")}>
        <label className="govuk-label" htmlFor="holidays-remove">
          Built-in days to take off
        </label>
        <div className="govuk-hint" id="holidays-remove-hint">
          Days the built-in list has as a bank holiday that were not one (a holiday moved by proclamation, for example), one a line, as
          2027-05-31.
        </div>
        <FieldError result={result} id="holidays-remove" />
        <textarea
          id="holidays-remove"
          name="remove"
          {...fieldAttributes(result, "holidays-remove", "govuk-textarea govuk-!-width-one-third", "holidays-remove-hint")}
          rows={3}
          defaultValue={remove.join("\n")}
          spellCheck={false}
        />
      </div>
      <button type="submit" className="button">
        Save the bank holidays
      </button>
    </form>
  );
}
