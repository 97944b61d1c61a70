"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { trpc } from "@/app/trpc-client";
import { formatUkDate, isIsoDate } from "@/server/calendar/dates";
import { quarterLabel, type QuarterLabelling } from "@/server/calendar/quarters";
import { MAX_STAGES } from "@/server/reference/manage/schemas";
import { fieldAttributes, FieldError, FormResultMessage, groupClass, refused, Typed, type FieldOf, type FormResult } from "../../../formResult";
import type { VersionInput, VersionPreview } from "../../../types";

/** The most stages a procedure can have: the upload formats carry stage1_on to stage10_on. */
const MOST_STAGES = MAX_STAGES;

interface StageValues {
  name: string;
  level: string;
  limitDays: string;
  limitUnit: "working" | "calendar";
}

export interface VersionValues {
  effectiveFrom: string;
  name: string;
  stageWord: "stage" | "step";
  learningWithinMonths: number;
  totalLimitWorkingDays: number | null;
  stages: Array<{ name: string; level: string | null; limitDays: number; limitUnit: "working" | "calendar" }>;
}

const blankStage = (): StageValues => ({ name: "", level: "", limitDays: "", limitUnit: "working" });

function splitDate(iso: string): { day: string; month: string; year: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! } : { day: "", month: "", year: "" };
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * One version of a partnership's procedure: from when it is in force, its stages (each with its
 * name, level and limit in working or calendar days; stages are added and taken off at the end),
 * the total limit and when learning is due. Before it is saved, "Check what this changes" shows the
 * preview the service computes (which escalations it applies to and which figures of which quarters
 * change, before and after); the save button follows that preview, and any later edit withdraws it.
 */
export function VersionForm({
  partnership,
  labelling,
  initial,
  replaces,
  first,
}: {
  partnership: string;
  labelling: QuarterLabelling;
  /** The version being changed, or the one a new version starts from. */
  initial: VersionValues | null;
  /** The effective date of the version being changed (none for a new version). */
  replaces?: string;
  /** This is (or will be) the partnership's first version, in force from the start of the calendar. */
  first: boolean;
}) {
  const router = useRouter();
  const [date, setDate] = useState(splitDate(initial?.effectiveFrom ?? ""));
  const [name, setName] = useState(initial?.name ?? "");
  const [stageWord, setStageWord] = useState<"stage" | "step">(initial?.stageWord === "step" ? "step" : "stage");
  const [learning, setLearning] = useState(String(initial?.learningWithinMonths ?? 1));
  const [total, setTotal] = useState(initial?.totalLimitWorkingDays == null ? "" : String(initial.totalLimitWorkingDays));
  const [stages, setStages] = useState<StageValues[]>(
    initial?.stages.length
      ? initial.stages.map((s) => ({ name: s.name, level: s.level ?? "", limitDays: String(s.limitDays), limitUnit: s.limitUnit }))
      : [blankStage()],
  );
  const [result, setResult] = useState<FormResult>(null);
  const [preview, setPreview] = useState<{ input: VersionInput; answer: VersionPreview } | null>(null);
  const [busy, setBusy] = useState(false);
  const focusAfter = useRef<string | null>(null);
  const word = stageWord;

  useEffect(() => {
    if (focusAfter.current) document.getElementById(focusAfter.current)?.focus();
    focusAfter.current = null;
  }, [stages.length]);

  /** Any edit withdraws the preview: the save button is only ever for the version previewed. */
  function edited<T>(set: (value: T) => void): (value: T) => void {
    return (value) => {
      set(value);
      setPreview(null);
    };
  }
  const changeStage = (i: number, patch: Partial<StageValues>) => edited(setStages)(stages.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  function addStage() {
    focusAfter.current = `stage-${stages.length + 1}-name`;
    edited(setStages)([...stages, blankStage()]);
  }
  function removeLastStage() {
    focusAfter.current = "add-stage";
    edited(setStages)(stages.slice(0, -1));
  }

  const fieldOf: FieldOf = (path) => {
    const parts = path.replace(/^version\./, "").split(".");
    const [head, index, field] = parts;
    if (head === "effectiveFrom") return { id: "version-effectiveFrom", label: "In force from" };
    if (head === "name") return { id: "version-name", label: "Name" };
    if (head === "learningWithinMonths") return { id: "version-learning", label: "Learning shared within" };
    if (head === "totalLimitWorkingDays") return { id: "version-total", label: "Total limit" };
    if (head === "stageWord") return { id: "version-stageWord", label: "Stages are called" };
    if (head === "stages" && index !== undefined && /^\d+$/.test(index)) {
      const n = Number(index) + 1;
      const id = field === "level" ? "level" : field === "limitDays" ? "limit" : field === "limitUnit" ? "unit-working" : "name";
      const label = field === "level" ? "level" : field === "limitDays" ? "limit" : field === "limitUnit" ? "limit in" : "name";
      return { id: `stage-${n}-${id}`, label: `${capital(word)} ${n} ${label}` };
    }
    if (head === "stages") return { id: "stage-1-name", label: `${capital(word)}s` };
    return undefined;
  };

  /** The version as typed, or null with the problems shown when a date or number is not one. */
  function read(): VersionInput | null {
    const typed = new Typed();
    const [day, month, year] = [date.day.trim(), date.month.trim(), date.year.trim()];
    const iso = /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year) ? `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}` : "";
    if (!day && !month && !year) typed.problems.push({ field: "version-effectiveFrom", text: "In force from: enter the day, month and year this version took effect" });
    else if (!isIsoDate(iso)) typed.problems.push({ field: "version-effectiveFrom", text: `In force from: ${day || "?"}/${month || "?"}/${year || "?"} is not a real date` });
    const learningWithinMonths = typed.whole(learning, "version-learning", "Learning shared within", { unit: "months" });
    const totalLimitWorkingDays = typed.whole(total, "version-total", "Total limit", { optional: true });
    const read = stages.map((s, i) => ({
      number: i + 1,
      name: s.name.trim(),
      level: s.level.trim() || null,
      limitDays: typed.whole(s.limitDays, `stage-${i + 1}-limit`, `${capital(word)} ${i + 1} limit`, { unit: "days" }) ?? 0,
      limitUnit: s.limitUnit,
    }));
    const problems = typed.result();
    if (problems) {
      setResult(problems);
      return null;
    }
    return { effectiveFrom: iso, name: name.trim(), stageWord, learningWithinMonths: learningWithinMonths!, totalLimitWorkingDays, stages: read } as VersionInput;
  }

  async function check(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = read();
    if (!input) return;
    setBusy(true);
    try {
      const answer = await trpc.reference.previewVersion.query({ partnership, version: input, replaces });
      if (answer.refusal) {
        setPreview(null);
        setResult({ ok: false, problems: [{ text: answer.refusal }] });
      } else {
        setResult(null);
        setPreview({ input, answer });
      }
    } catch (error) {
      setPreview(null);
      setResult(refused(error, fieldOf));
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    if (!preview) return;
    setBusy(true);
    try {
      await trpc.reference.saveVersion.mutate({ partnership, version: preview.input, replaces });
      router.push(`/admin/partnerships/${encodeURIComponent(partnership)}/procedure?saved=${preview.input.effectiveFrom}`);
      router.refresh();
    } catch (error) {
      setPreview(null);
      setResult(refused(error, fieldOf));
      setBusy(false);
    }
  }

  const label = (quarter: string) => {
    try {
      return quarterLabel(quarter, labelling);
    } catch {
      return quarter;
    }
  };

  return (
    <form onSubmit={check} className="panel" noValidate aria-labelledby="version-form-title">
      <h2 className="govuk-heading-m" id="version-form-title">
        {replaces ? `Change the version in force from ${formatUkDate(replaces)}` : first ? "The procedure" : "A new version of the procedure"}
      </h2>
      <FormResultMessage result={result} testId="version-result" />

      <div className={groupClass(result, "version-effectiveFrom")}>
        <fieldset className="govuk-fieldset" role="group" aria-describedby="version-effectiveFrom-hint">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">In force from</legend>
          <div className="govuk-hint" id="version-effectiveFrom-hint">
            {first
              ? "The day the partnership adopted this procedure. As its first version it also judges every escalation raised before then."
              : "Escalations whose concern arose on or after this day are judged by this version. For example, 1 4 2026."}
          </div>
          <FieldError result={result} id="version-effectiveFrom" />
          <div className="govuk-date-input">
            {(["day", "month", "year"] as const).map((part) => (
              <div className="govuk-date-input__item" key={part}>
                <div className="govuk-form-group">
                  <label className="govuk-label govuk-date-input__label" htmlFor={part === "day" ? "version-effectiveFrom" : `version-effectiveFrom-${part}`}>
                    {capital(part)}
                  </label>
                  <input
                    {...fieldAttributes(result, "version-effectiveFrom", `govuk-input govuk-date-input__input govuk-input--width-${part === "year" ? 4 : 2}`)}
                    id={part === "day" ? "version-effectiveFrom" : `version-effectiveFrom-${part}`}
                    name={`effectiveFrom-${part}`}
                    inputMode="numeric"
                    value={date[part]}
                    onChange={(e) => edited(setDate)({ ...date, [part]: e.target.value })}
                  />
                </div>
              </div>
            ))}
          </div>
        </fieldset>
      </div>

      <div className={groupClass(result, "version-name")}>
        <label className="govuk-label" htmlFor="version-name">
          Name
        </label>
        <div className="govuk-hint" id="version-name-hint">
          As the procedure document calls it, for example &quot;Resolving professional differences (2024)&quot;.
        </div>
        <FieldError result={result} id="version-name" />
        <input id="version-name" name="name" {...fieldAttributes(result, "version-name", "govuk-input", "version-name-hint")} value={name} onChange={(e) => edited(setName)(e.target.value)} />
      </div>

      <div className="govuk-form-group">
        <fieldset className="govuk-fieldset" id="version-stageWord">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">The procedure calls its levels</legend>
          <div className="govuk-radios govuk-radios--small govuk-radios--inline">
            {(["stage", "step"] as const).map((w) => (
              <div className="govuk-radios__item" key={w}>
                <input className="govuk-radios__input" id={`stageWord-${w}`} name="stageWord" type="radio" value={w} checked={stageWord === w} onChange={() => edited(setStageWord)(w)} />
                <label className="govuk-label govuk-radios__label" htmlFor={`stageWord-${w}`}>
                  {capital(w)}s
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>

      <h3 className="govuk-heading-s">
        {capital(word)}s ({stages.length} of at most {MOST_STAGES})
      </h3>
      {stages.map((s, i) => {
        const n = i + 1;
        return (
          <fieldset className="govuk-fieldset govuk-!-margin-bottom-4" key={i} data-stage={n}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
              {capital(word)} {n}
            </legend>
            <div className={groupClass(result, `stage-${n}-name`)}>
              <label className="govuk-label" htmlFor={`stage-${n}-name`}>
                {capital(word)} {n} name
              </label>
              <FieldError result={result} id={`stage-${n}-name`} />
              <input id={`stage-${n}-name`} {...fieldAttributes(result, `stage-${n}-name`, "govuk-input govuk-!-width-two-thirds")} value={s.name} onChange={(e) => changeStage(i, { name: e.target.value })} />
            </div>
            <div className={groupClass(result, `stage-${n}-level`)}>
              <label className="govuk-label" htmlFor={`stage-${n}-level`}>
                {capital(word)} {n} level (optional)
              </label>
              <div className="govuk-hint" id={`stage-${n}-level-hint`}>
                Who is involved, for example &quot;within agency&quot;, &quot;senior managers&quot; or &quot;partnership panel&quot;.
              </div>
              <FieldError result={result} id={`stage-${n}-level`} />
              <input
                id={`stage-${n}-level`}
                {...fieldAttributes(result, `stage-${n}-level`, "govuk-input govuk-!-width-one-half", `stage-${n}-level-hint`)}
                value={s.level}
                onChange={(e) => changeStage(i, { level: e.target.value })}
              />
            </div>
            <div className={groupClass(result, `stage-${n}-limit`, `stage-${n}-unit-working`)}>
              <label className="govuk-label" htmlFor={`stage-${n}-limit`}>
                {capital(word)} {n} limit, in days
              </label>
              <FieldError result={result} id={`stage-${n}-limit`} />
              <input
                id={`stage-${n}-limit`}
                {...fieldAttributes(result, `stage-${n}-limit`, "govuk-input govuk-input--width-3")}
                inputMode="numeric"
                value={s.limitDays}
                onChange={(e) => changeStage(i, { limitDays: e.target.value })}
              />
              <fieldset className="govuk-fieldset govuk-!-margin-top-2">
                <legend className="govuk-fieldset__legend govuk-visually-hidden">
                  {capital(word)} {n} limit counted in
                </legend>
                <div className="govuk-radios govuk-radios--small govuk-radios--inline">
                  {(["working", "calendar"] as const).map((unit) => (
                    <div className="govuk-radios__item" key={unit}>
                      <input
                        className="govuk-radios__input"
                        id={`stage-${n}-unit-${unit}`}
                        name={`stage-${n}-unit`}
                        type="radio"
                        value={unit}
                        checked={s.limitUnit === unit}
                        onChange={() => changeStage(i, { limitUnit: unit })}
                      />
                      <label className="govuk-label govuk-radios__label" htmlFor={`stage-${n}-unit-${unit}`}>
                        {capital(unit)} days
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
          </fieldset>
        );
      })}
      <div className="button-group">
        {stages.length < MOST_STAGES && (
          <button type="button" id="add-stage" className="button button--secondary" onClick={addStage}>
            Add a {word}
          </button>
        )}
        {stages.length > 1 && (
          <button type="button" className="button button--secondary" onClick={removeLastStage}>
            Remove the last {word} ({word} {stages.length})
          </button>
        )}
      </div>

      <div className={groupClass(result, "version-total")}>
        <label className="govuk-label" htmlFor="version-total">
          Total limit, in working days (optional)
        </label>
        <div className="govuk-hint" id="version-total-hint">
          The most the whole procedure should take from the concern arising to its resolution. Leave empty for none.
        </div>
        <FieldError result={result} id="version-total" />
        <input
          id="version-total"
          {...fieldAttributes(result, "version-total", "govuk-input govuk-input--width-3", "version-total-hint")}
          inputMode="numeric"
          value={total}
          onChange={(e) => edited(setTotal)(e.target.value)}
        />
      </div>

      <div className={groupClass(result, "version-learning")}>
        <label className="govuk-label" htmlFor="version-learning">
          Learning shared within, in months
        </label>
        <div className="govuk-hint" id="version-learning-hint">
          How soon after an escalation closes its learning should be shared.
        </div>
        <FieldError result={result} id="version-learning" />
        <input
          id="version-learning"
          {...fieldAttributes(result, "version-learning", "govuk-input govuk-input--width-2", "version-learning-hint")}
          inputMode="numeric"
          value={learning}
          onChange={(e) => edited(setLearning)(e.target.value)}
        />
      </div>

      <button type="submit" className="button" disabled={busy}>
        Check what this changes
      </button>

      {preview && <PreviewPanel preview={preview.answer} label={label} busy={busy} onSave={save} />}
    </form>
  );
}

/** What saving the version would re-judge, as the service computed it; the save button follows it. */
function PreviewPanel({ preview, label, busy, onSave }: { preview: VersionPreview; label: (quarter: string) => string; busy: boolean; onSave: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [preview]);
  const { applies, changes } = preview;
  const quarters = [...new Set(changes.map((c) => c.quarter))];
  const show = (value: number | string | null) => (value === null ? "none" : typeof value === "number" ? value.toLocaleString("en-GB") : value);
  return (
    <section className="govuk-!-margin-top-6" aria-labelledby="version-preview-title" data-testid="version-preview">
      <h3 className="govuk-heading-m" id="version-preview-title" tabIndex={-1} ref={heading}>
        What saving this version changes
      </h3>
      <p className="govuk-body-l" data-testid="version-applies">
        Applies to {applies.escalations.toLocaleString("en-GB")} escalation{applies.escalations === 1 ? "" : "s"} raised since {formatUkDate(applies.since)}
        {applies.until ? ` (until ${formatUkDate(applies.until)}, when the next version takes over)` : ""};{" "}
        {changes.length === 0
          ? "no figure of a complete quarter changes."
          : `these figures change for ${quarters.length === 1 ? "this quarter" : "these quarters"}: ${quarters.map(label).join(", ")}.`}
      </p>
      {preview.note ? <p className="govuk-body">{preview.note}</p> : null}
      {changes.length > 0 && changes.length <= LONG_PREVIEW && <ChangesTable changes={changes} label={label} show={show} />}
      {changes.length > LONG_PREVIEW && (
        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">Every figure that changes ({changes.length.toLocaleString("en-GB")})</span>
          </summary>
          <div className="govuk-details__text">
            <ChangesTable changes={changes} label={label} show={show} />
          </div>
        </details>
      )}
      <button type="button" className="button" onClick={onSave} disabled={busy}>
        Save this version
      </button>
    </section>
  );
}

/** A preview this long is folded away, its sentence above saying which quarters change. */
const LONG_PREVIEW = 24;

function ChangesTable({ changes, label, show }: { changes: VersionPreview["changes"]; label: (quarter: string) => string; show: (value: number | string | null) => string }) {
  return (
    <div className="app-table-scroll">
      <table className="govuk-table" id="version-changes">
        <caption className="govuk-table__caption govuk-table__caption--s">Figures before and after the change, by quarter</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Quarter</th>
            <th scope="col" className="govuk-table__header">Figure</th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">Before</th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">After</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {changes.map((c) => (
            <tr className="govuk-table__row" key={`${c.quarter}-${c.key}`} data-key={c.key}>
              <th scope="row" className="govuk-table__header">
                {label(c.quarter)}
              </th>
              <td className="govuk-table__cell">{c.figure}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{show(c.before)}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{show(c.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
