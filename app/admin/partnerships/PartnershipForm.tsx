"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "../../trpc-client";
import { fieldAttributes, FieldError, FormResultMessage, groupClass, lines, refused, Typed, type FieldOf, type FormResult } from "../formResult";

export interface TargetMeasure {
  key: string;
  label: string;
  /** A percentage (at most 100) rather than a count. */
  percent: boolean;
}

export interface PartnershipValues {
  code: string;
  name: string;
  quarterLabels: "calendar" | "financial";
  disclosureProfile: "dfe" | "nhs";
  chairFollowUpLimitWorkingDays: number;
  closureDays: string[];
  targets: Record<string, number>;
}

const BLANK: PartnershipValues = {
  code: "",
  name: "",
  quarterLabels: "financial",
  disclosureProfile: "dfe",
  chairFollowUpLimitWorkingDays: 5,
  closureDays: [],
  targets: {},
};

/**
 * A partnership's own settings: its name, how its quarters are labelled, its disclosure rules, the
 * chair's follow-up limit, its closure days and its targets. Creating one goes on to its procedure.
 */
export function PartnershipForm({ existing, measures }: { existing?: PartnershipValues; measures: TargetMeasure[] }) {
  const router = useRouter();
  const [result, setResult] = useState<FormResult>(null);
  const values = existing ?? BLANK;
  const creating = !existing;

  const fieldOf: FieldOf = (path) => {
    const [head, rest] = [path.split(".")[0]!, path.split(".").slice(1).join(".")];
    if (head === "code") return { id: "partnership-code", label: "Code" };
    if (head === "name") return { id: "partnership-name", label: "Name" };
    if (head === "quarterLabels") return { id: "partnership-quarterLabels", label: "Quarters" };
    if (head === "disclosureProfile") return { id: "partnership-disclosureProfile", label: "Disclosure rules" };
    if (head === "chairFollowUpLimitWorkingDays") return { id: "partnership-chair", label: "Chair's follow-up limit" };
    if (head === "closureDays") return { id: "partnership-closureDays", label: rest ? `Closure day ${Number(rest) + 1}` : "Closure days" };
    if (head === "targets") {
      const measure = measures.find((m) => m.key === rest);
      return measure ? { id: `partnership-target-${measure.key}`, label: `Target for ${measure.label.toLowerCase()}` } : { id: "partnership-targets", label: "Targets" };
    }
    return undefined;
  };

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const typed = new Typed();
    const chair = typed.whole(form.get("chairFollowUpLimitWorkingDays"), "partnership-chair", "Chair's follow-up limit", { unit: "working days" });
    const targets: Record<string, number> = {};
    for (const m of measures) {
      const text = String(form.get(`target-${m.key}`) ?? "").trim();
      if (text === "") continue;
      const value = Number(text);
      if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(value)) {
        typed.problems.push({ field: `partnership-target-${m.key}`, text: `Target for ${m.label.toLowerCase()}: "${text.slice(0, 40)}" is not a number` });
      } else targets[m.key] = value;
    }
    if (typed.result()) return setResult(typed.result());
    const code = creating ? String(form.get("code") ?? "").trim() : values.code;
    try {
      await trpc.reference.savePartnership.mutate({
        code,
        name: String(form.get("name") ?? "").trim(),
        quarterLabels: String(form.get("quarterLabels")) as PartnershipValues["quarterLabels"],
        disclosureProfile: String(form.get("disclosureProfile")) as PartnershipValues["disclosureProfile"],
        chairFollowUpLimitWorkingDays: chair!,
        closureDays: lines(form.get("closureDays")),
        targets,
        create: creating,
      });
      if (creating) {
        // The next step of setting a partnership up: its procedure.
        router.push(`/admin/partnerships/${encodeURIComponent(code)}/procedure`);
        return;
      }
      setResult({ ok: true, text: `${code} saved.` });
      router.refresh();
    } catch (error) {
      setResult(refused(error, fieldOf));
    }
  }

  return (
    <form onSubmit={submit} className="panel" noValidate aria-labelledby="partnership-form-title">
      <h2 className="govuk-heading-m" id="partnership-form-title">
        {creating ? "Add a partnership" : `${values.name} (${values.code})`}
      </h2>
      <FormResultMessage result={result} testId="partnership-result" />
      {creating && (
        <div className={groupClass(result, "partnership-code")}>
          <label className="govuk-label" htmlFor="partnership-code">
            Code
          </label>
          <div className="govuk-hint" id="partnership-code-hint">
            A short name used in links and uploaded files, for example <code>hampshire</code>: letters, digits, - or _. It cannot be changed later.
          </div>
          <FieldError result={result} id="partnership-code" />
          <input id="partnership-code" name="code" {...fieldAttributes(result, "partnership-code", "govuk-input govuk-input--width-20", "partnership-code-hint")} autoComplete="off" spellCheck={false} required />
        </div>
      )}
      <div className={groupClass(result, "partnership-name")}>
        <label className="govuk-label" htmlFor="partnership-name">
          Name
        </label>
        <FieldError result={result} id="partnership-name" />
        <input id="partnership-name" name="name" {...fieldAttributes(result, "partnership-name", "govuk-input")} defaultValue={values.name} required />
      </div>

      <div className={groupClass(result, "partnership-quarterLabels")}>
        <fieldset className="govuk-fieldset" id="partnership-quarterLabels">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">How quarters are labelled</legend>
          <FieldError result={result} id="partnership-quarterLabels" />
          <div className="govuk-radios govuk-radios--small">
            <div className="govuk-radios__item">
              <input className="govuk-radios__input" id="quarterLabels-financial" name="quarterLabels" type="radio" value="financial" defaultChecked={values.quarterLabels === "financial"} />
              <label className="govuk-label govuk-radios__label" htmlFor="quarterLabels-financial">
                Financial year: April to June is Q1 2025/26
              </label>
            </div>
            <div className="govuk-radios__item">
              <input className="govuk-radios__input" id="quarterLabels-calendar" name="quarterLabels" type="radio" value="calendar" defaultChecked={values.quarterLabels === "calendar"} />
              <label className="govuk-label govuk-radios__label" htmlFor="quarterLabels-calendar">
                Calendar year: January to March is 2025-Q1
              </label>
            </div>
          </div>
        </fieldset>
      </div>

      <div className={groupClass(result, "partnership-disclosureProfile")}>
        <fieldset className="govuk-fieldset" id="partnership-disclosureProfile" aria-describedby="disclosure-hint">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Disclosure rules for published figures</legend>
          <div className="govuk-hint" id="disclosure-hint">
            Which small numbers are hidden in published board reports. The glossary explains both.
          </div>
          <FieldError result={result} id="partnership-disclosureProfile" />
          <div className="govuk-radios govuk-radios--small">
            <div className="govuk-radios__item">
              <input className="govuk-radios__input" id="disclosure-dfe" name="disclosureProfile" type="radio" value="dfe" defaultChecked={values.disclosureProfile === "dfe"} />
              <label className="govuk-label govuk-radios__label" htmlFor="disclosure-dfe">
                Department for Education (counts of 1 to 5 hidden)
              </label>
            </div>
            <div className="govuk-radios__item">
              <input className="govuk-radios__input" id="disclosure-nhs" name="disclosureProfile" type="radio" value="nhs" defaultChecked={values.disclosureProfile === "nhs"} />
              <label className="govuk-label govuk-radios__label" htmlFor="disclosure-nhs">
                NHS (counts of 1 to 7 hidden, others rounded to the nearest 5)
              </label>
            </div>
          </div>
        </fieldset>
      </div>

      <div className={groupClass(result, "partnership-chair")}>
        <label className="govuk-label" htmlFor="partnership-chair">
          Chair&apos;s follow-up limit, in working days
        </label>
        <div className="govuk-hint" id="partnership-chair-hint">
          How soon after a conference the chair should follow up a dissent.
        </div>
        <FieldError result={result} id="partnership-chair" />
        <input
          id="partnership-chair"
          name="chairFollowUpLimitWorkingDays"
          {...fieldAttributes(result, "partnership-chair", "govuk-input govuk-input--width-3", "partnership-chair-hint")}
          inputMode="numeric"
          defaultValue={String(values.chairFollowUpLimitWorkingDays)}
        />
      </div>

      <div className={groupClass(result, "partnership-closureDays")}>
        <label className="govuk-label" htmlFor="partnership-closureDays">
          Closure days
        </label>
        <div className="govuk-hint" id="partnership-closureDays-hint">
          Days the partnership&apos;s offices are closed besides weekends and bank holidays, which are not working days. One a line, as 2025-12-29.
        </div>
        <FieldError result={result} id="partnership-closureDays" />
        <textarea
          id="partnership-closureDays"
          name="closureDays"
          {...fieldAttributes(result, "partnership-closureDays", "govuk-textarea govuk-!-width-one-third", "partnership-closureDays-hint")}
          rows={4}
          defaultValue={values.closureDays.join("\n")}
          spellCheck={false}
        />
      </div>

      <fieldset className="govuk-fieldset" id="partnership-targets" aria-describedby="partnership-targets-hint">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Targets</legend>
        <div className="govuk-hint" id="partnership-targets-hint">
          Optional: the level the partnership aims for, drawn on the run charts. Leave a measure empty for no target.
        </div>
        {measures.map((m) => (
          <div className={groupClass(result, `partnership-target-${m.key}`)} key={m.key}>
            <label className="govuk-label" htmlFor={`partnership-target-${m.key}`}>
              {m.label}
              {m.percent ? " (%)" : ""}
            </label>
            <FieldError result={result} id={`partnership-target-${m.key}`} />
            <input
              id={`partnership-target-${m.key}`}
              name={`target-${m.key}`}
              {...fieldAttributes(result, `partnership-target-${m.key}`, "govuk-input govuk-input--width-4")}
              inputMode="decimal"
              defaultValue={values.targets[m.key] === undefined ? "" : String(values.targets[m.key])}
            />
          </div>
        ))}
      </fieldset>

      <button type="submit" className="button">
        {creating ? "Add the partnership" : "Save the partnership"}
      </button>
    </form>
  );
}
