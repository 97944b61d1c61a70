"use client";
import { useEffect, useRef } from "react";

/**
 * What a set-up form says after it was sent: done (a status line), or refused (an error summary).
 * A refusal's message is the service's own plain English; a zod refusal reads "path: message; …",
 * and each path the form knows becomes that field's label, linking to the field to fix.
 */
export type FormResult = { ok: true; text: string } | { ok: false; problems: Problem[] } | null;

export interface Problem {
  /** The id of the field to fix, when the message names one the form has. */
  field?: string;
  text: string;
}

/** The field a zod path names: its element id and the label people see. */
export type FieldOf = (path: string) => { id: string; label: string } | undefined;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A refused request's problems, each naming its field where the form knows it. */
export function problemsOf(error: unknown, fieldOf: FieldOf): Problem[] {
  const message = messageOf(error);
  const parts = message.split("; ").map((part) => {
    const match = /^([A-Za-z0-9_.]+): (.+)$/s.exec(part);
    const field = match ? fieldOf(match[1]!) : undefined;
    return field ? { field: field.id, text: `${field.label}: ${match![2]}` } : { text: part };
  });
  // A message that only looked like "path: message" at its semicolons stays as it was.
  return parts.some((p) => p.field) ? parts : [{ text: message }];
}

export function refused(error: unknown, fieldOf: FieldOf = () => undefined): FormResult {
  return { ok: false, problems: problemsOf(error, fieldOf) };
}

/** The result of a form: the GOV.UK error summary (focused, so a keyboard user lands on it) or a status line. */
export function FormResultMessage({ result, title = "There is a problem", testId }: { result: FormResult; title?: string; testId?: string }) {
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result && !result.ok) summary.current?.focus();
  }, [result]);
  if (!result) return null;
  if (result.ok) {
    return (
      <div className="notification" role="status">
        <p className="govuk-body" data-testid={testId}>
          {result.text}
        </p>
      </div>
    );
  }
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={summary}>
      <h2 className="error-summary__title">{title}</h2>
      <div className="govuk-error-summary__body">
        <ul className="govuk-list govuk-error-summary__list" data-testid={testId}>
          {result.problems.map((p, i) => (
            <li key={i}>{p.field ? <a href={`#${p.field}`}>{p.text}</a> : p.text}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** The error message GOV.UK puts above a field that has a problem. */
export function FieldError({ result, id }: { result: FormResult; id: string }) {
  const problem = result && !result.ok ? result.problems.find((p) => p.field === id) : undefined;
  if (!problem) return null;
  return (
    <p className="govuk-error-message" id={`${id}-error`}>
      <span className="govuk-visually-hidden">Error:</span> {problem.text}
    </p>
  );
}

/** The class of a form group, marked when one of its fields has a problem. */
export function groupClass(result: FormResult, ...ids: string[]): string {
  const bad = result && !result.ok && result.problems.some((p) => p.field && ids.includes(p.field));
  return `govuk-form-group${bad ? " govuk-form-group--error" : ""}`;
}

/** True when the form's result names a problem with this field. */
export function hasProblem(result: FormResult, id: string): boolean {
  return Boolean(result && !result.ok && result.problems.some((p) => p.field === id));
}

/**
 * The attributes GOV.UK gives a field: its error class when it has a problem, and the hint and the
 * error message it is described by.
 */
export function fieldAttributes(result: FormResult, id: string, baseClass: string, hint?: string): { className: string; "aria-describedby"?: string } {
  const bad = hasProblem(result, id);
  const errorClass = baseClass.includes("govuk-textarea") ? "govuk-textarea--error" : baseClass.includes("govuk-radios__input") || baseClass.includes("govuk-checkboxes__input") ? "" : "govuk-input--error";
  const describedBy = [hint, bad ? `${id}-error` : undefined].filter(Boolean).join(" ");
  return { className: bad && errorClass ? `${baseClass} ${errorClass}` : baseClass, ...(describedBy ? { "aria-describedby": describedBy } : {}) };
}

/** Lines of a textarea: trimmed, blank lines left out. */
export function lines(value: FormDataEntryValue | null): string[] {
  return String(value ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * Numbers typed in a form, read before anything is sent: a value that is no whole number is a
 * problem naming the field and the value (the service would refuse it less plainly).
 */
export class Typed {
  readonly problems: Problem[] = [];

  whole(value: FormDataEntryValue | string | null, id: string, label: string, options: { optional?: boolean; unit?: string } = {}): number | null {
    const text = String(value ?? "").trim();
    if (text === "") {
      if (!options.optional) this.problems.push({ field: id, text: `${label}: enter a whole number${options.unit ? ` of ${options.unit}` : ""}` });
      return null;
    }
    if (!/^\d+$/.test(text)) {
      this.problems.push({ field: id, text: `${label}: "${text.slice(0, 40)}" is not a whole number` });
      return null;
    }
    return Number(text);
  }

  /** The problems found, as the form's result, or null when there are none. */
  result(): FormResult {
    return this.problems.length ? { ok: false, problems: this.problems } : null;
  }
}
