"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/trpc-client";
import type { AgencyInput, ManagedAgency } from "../types";
import { fieldAttributes, FieldError, FormResultMessage, groupClass, lines, refused, type FieldOf, type FormResult } from "../formResult";

/** An agency as reference.agencies lists it (sharedWith: partnerships it also belongs to that the admin does not manage). */
export type AgencyValues = ManagedAgency;

/**
 * An agency: its code, name, sector, the other names its exports use (aliases), and which of the
 * admin's partnerships it belongs to. An agency shared with partnerships the admin does not manage
 * says so before any change: its name, sector and aliases are theirs too, and its memberships there
 * are kept.
 */
export function AgencyForm({
  existing,
  partnerships,
  sectors,
}: {
  existing?: AgencyValues;
  partnerships: Array<{ code: string; name: string }>;
  sectors: Array<{ value: string; label: string }>;
}) {
  const router = useRouter();
  const [result, setResult] = useState<FormResult>(null);
  const creating = !existing;
  const prefix = creating ? "new-agency" : "agency";

  const fieldOf: FieldOf = (path) => {
    const [head, index] = path.split(".");
    const n = index !== undefined && /^\d+$/.test(index) ? Number(index) : undefined;
    if (head === "code") return { id: `${prefix}-code`, label: "Code" };
    if (head === "name") return { id: `${prefix}-name`, label: "Name" };
    if (head === "sector") return { id: `${prefix}-sector-${sectors[0]?.value}`, label: "Sector" };
    if (head === "aliases") return { id: `${prefix}-aliases`, label: n === undefined ? "Other names" : `Other name ${n + 1}` };
    if (head === "partnerships") return { id: `${prefix}-partnership-${partnerships[0]?.code}`, label: "Partnerships" };
    return undefined;
  };

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const code = creating ? String(form.get("code") ?? "").trim() : existing.code;
    try {
      await trpc.reference.saveAgency.mutate({
        code,
        name: String(form.get("name") ?? "").trim(),
        sector: String(form.get("sector") ?? "") as AgencyInput["sector"],
        aliases: lines(form.get("aliases")),
        partnerships: form.getAll("partnerships").map(String),
        create: creating,
      });
      setResult({ ok: true, text: creating ? `${code} added.` : `${code} saved.` });
      if (creating) element.reset();
      router.refresh();
    } catch (error) {
      setResult(refused(error, fieldOf));
    }
  }

  return (
    <form onSubmit={submit} className="panel" noValidate aria-labelledby={`${prefix}-title`}>
      <h2 className="govuk-heading-m" id={`${prefix}-title`}>
        {creating ? "Add an agency" : `Change ${existing.name} (${existing.code})`}
      </h2>
      {existing && existing.sharedWith.length > 0 && (
        <div className="govuk-warning-text" data-testid="agency-shared">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            {existing.code} also belongs to {existing.sharedWith.join(", ")}, which you do not manage. A change of its name, sector or other names
            changes it for {existing.sharedWith.length === 1 ? "that partnership" : "those partnerships"} too; its membership there is kept.
          </strong>
        </div>
      )}
      <FormResultMessage result={result} testId={`${prefix}-result`} />
      {creating && (
        <div className={groupClass(result, `${prefix}-code`)}>
          <label className="govuk-label" htmlFor={`${prefix}-code`}>
            Code
          </label>
          <div className="govuk-hint" id={`${prefix}-code-hint`}>
            How uploads name the agency, for example <code>HIOWC</code>: letters, digits, - or _. It cannot be changed later.
          </div>
          <FieldError result={result} id={`${prefix}-code`} />
          <input id={`${prefix}-code`} name="code" {...fieldAttributes(result, `${prefix}-code`, "govuk-input govuk-input--width-10", `${prefix}-code-hint`)} autoComplete="off" spellCheck={false} />
        </div>
      )}
      <div className={groupClass(result, `${prefix}-name`)}>
        <label className="govuk-label" htmlFor={`${prefix}-name`}>
          Name
        </label>
        <FieldError result={result} id={`${prefix}-name`} />
        <input id={`${prefix}-name`} name="name" {...fieldAttributes(result, `${prefix}-name`, "govuk-input")} defaultValue={existing?.name ?? ""} />
      </div>
      <div className={groupClass(result, `${prefix}-sector-${sectors[0]?.value}`)}>
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Sector</legend>
          <FieldError result={result} id={`${prefix}-sector-${sectors[0]?.value}`} />
          <div className="govuk-radios govuk-radios--small">
            {sectors.map((s) => (
              <div className="govuk-radios__item" key={s.value}>
                <input
                  className="govuk-radios__input"
                  id={`${prefix}-sector-${s.value}`}
                  name="sector"
                  type="radio"
                  value={s.value}
                  defaultChecked={existing?.sector === s.value}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={`${prefix}-sector-${s.value}`}>
                  {s.label}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <div className={groupClass(result, `${prefix}-aliases`)}>
        <label className="govuk-label" htmlFor={`${prefix}-aliases`}>
          Other names (optional)
        </label>
        <div className="govuk-hint" id={`${prefix}-aliases-hint`}>
          Names the agencies&apos; exports use for it besides its code and name, one a line: for example &quot;Hants Police&quot;.
        </div>
        <FieldError result={result} id={`${prefix}-aliases`} />
        <textarea
          id={`${prefix}-aliases`}
          name="aliases"
          {...fieldAttributes(result, `${prefix}-aliases`, "govuk-textarea govuk-!-width-one-half", `${prefix}-aliases-hint`)}
          rows={3}
          defaultValue={existing?.aliases.join("\n") ?? ""}
        />
      </div>
      <div className={groupClass(result, `${prefix}-partnership-${partnerships[0]?.code}`)}>
        <fieldset className="govuk-fieldset" aria-describedby={`${prefix}-partnerships-hint`}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Belongs to</legend>
          <div className="govuk-hint" id={`${prefix}-partnerships-hint`}>
            The partnerships whose escalations it raises or receives. An agency from another area that takes part is a member too.
          </div>
          <FieldError result={result} id={`${prefix}-partnership-${partnerships[0]?.code}`} />
          <div className="govuk-checkboxes govuk-checkboxes--small">
            {partnerships.map((p) => (
              <div className="govuk-checkboxes__item" key={p.code}>
                <input
                  className="govuk-checkboxes__input"
                  id={`${prefix}-partnership-${p.code}`}
                  name="partnerships"
                  type="checkbox"
                  value={p.code}
                  defaultChecked={existing ? existing.partnerships.includes(p.code) : partnerships.length === 1}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={`${prefix}-partnership-${p.code}`}>
                  {p.name}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <button type="submit" className="button">
        {creating ? "Add the agency" : "Save the agency"}
      </button>
    </form>
  );
}
