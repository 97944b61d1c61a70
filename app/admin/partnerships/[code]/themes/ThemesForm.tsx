"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { trpc } from "@/app/trpc-client";
import { fieldAttributes, FieldError, FormResultMessage, groupClass, lines, refused, type FieldOf, type FormResult } from "../../../formResult";

interface ThemeRow {
  /** Kept across edits so that React keeps each row's fields. */
  key: number;
  code: string;
  label: string;
  synonyms: string;
  /** Saved already: its code is its identity and is not changed here. */
  saved: boolean;
}

/**
 * The partnership's own themes, beside the standard ones: each with its code, label and the words
 * its agencies' exports use for it. The whole list is saved at once; a theme that loaded records
 * carry cannot be taken off (the service says how many carry it).
 */
export function ThemesForm({ partnership, themes }: { partnership: string; themes: Array<{ code: string; label: string; synonyms: string[] }> }) {
  const router = useRouter();
  const next = useRef(themes.length);
  const [rows, setRows] = useState<ThemeRow[]>(themes.map((t, i) => ({ key: i, code: t.code, label: t.label, synonyms: t.synonyms.join("\n"), saved: true })));
  const [result, setResult] = useState<FormResult>(null);
  const focusAfter = useRef<string | null>(null);

  useEffect(() => {
    if (focusAfter.current) document.getElementById(focusAfter.current)?.focus();
    focusAfter.current = null;
  }, [rows.length]);

  const change = (key: number, patch: Partial<ThemeRow>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  function add() {
    const key = next.current++;
    focusAfter.current = `theme-${key}-code`;
    setRows([...rows, { key, code: "", label: "", synonyms: "", saved: false }]);
  }
  function remove(key: number) {
    focusAfter.current = "add-theme";
    setRows(rows.filter((r) => r.key !== key));
  }

  const fieldOf: FieldOf = (path) => {
    const [head, index, field, synonym] = path.split(".");
    if (head !== "themes" || index === undefined || !/^\d+$/.test(index)) return undefined;
    const row = rows[Number(index)];
    if (!row) return undefined;
    const n = Number(index) + 1;
    if (field === "label") return { id: `theme-${row.key}-label`, label: `Theme ${n} label` };
    if (field === "synonyms") return { id: `theme-${row.key}-synonyms`, label: synonym === undefined ? `Theme ${n} other words` : `Theme ${n} other word ${Number(synonym) + 1}` };
    return { id: row.saved ? `theme-${row.key}-label` : `theme-${row.key}-code`, label: `Theme ${n} code` };
  };

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      await trpc.reference.saveThemes.mutate({
        partnership,
        themes: rows.map((r) => ({ code: r.code.trim(), label: r.label.trim(), synonyms: lines(r.synonyms) })),
      });
      setRows(rows.map((r) => ({ ...r, saved: true })));
      setResult({ ok: true, text: `The themes of ${partnership} are saved.` });
      router.refresh();
    } catch (error) {
      setResult(refused(error, fieldOf));
    }
  }

  return (
    <form onSubmit={submit} className="panel" noValidate aria-labelledby="themes-form-title">
      <h2 className="govuk-heading-m" id="themes-form-title">
        The partnership&apos;s own themes
      </h2>
      <FormResultMessage result={result} testId="themes-result" />
      {rows.length === 0 && <p className="govuk-body">None yet: the standard themes above are used.</p>}
      {rows.map((r, i) => (
        <fieldset className="govuk-fieldset govuk-!-margin-bottom-6" key={r.key} data-theme={r.code}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
            Theme {i + 1}
            {r.saved ? `: ${r.code}` : " (new)"}
          </legend>
          {!r.saved && (
            <div className={groupClass(result, `theme-${r.key}-code`)}>
              <label className="govuk-label" htmlFor={`theme-${r.key}-code`}>
                Theme {i + 1} code
              </label>
              <div className="govuk-hint" id={`theme-${r.key}-code-hint`}>
                Letters, digits, - or _, for example <code>exploitation</code>.
              </div>
              <FieldError result={result} id={`theme-${r.key}-code`} />
              <input
                id={`theme-${r.key}-code`}
                {...fieldAttributes(result, `theme-${r.key}-code`, "govuk-input govuk-input--width-20", `theme-${r.key}-code-hint`)}
                value={r.code}
                onChange={(e) => change(r.key, { code: e.target.value })}
                spellCheck={false}
              />
            </div>
          )}
          <div className={groupClass(result, `theme-${r.key}-label`)}>
            <label className="govuk-label" htmlFor={`theme-${r.key}-label`}>
              Theme {i + 1} label
            </label>
            <FieldError result={result} id={`theme-${r.key}-label`} />
            <input id={`theme-${r.key}-label`} {...fieldAttributes(result, `theme-${r.key}-label`, "govuk-input")} value={r.label} onChange={(e) => change(r.key, { label: e.target.value })} />
          </div>
          <div className={groupClass(result, `theme-${r.key}-synonyms`)}>
            <label className="govuk-label" htmlFor={`theme-${r.key}-synonyms`}>
              Theme {i + 1} other words (optional)
            </label>
            <div className="govuk-hint" id={`theme-${r.key}-synonyms-hint`}>
              Words the agencies&apos; exports use for this theme, one a line.
            </div>
            <FieldError result={result} id={`theme-${r.key}-synonyms`} />
            <textarea
              id={`theme-${r.key}-synonyms`}
              {...fieldAttributes(result, `theme-${r.key}-synonyms`, "govuk-textarea govuk-!-width-one-half", `theme-${r.key}-synonyms-hint`)}
              rows={2}
              value={r.synonyms}
              onChange={(e) => change(r.key, { synonyms: e.target.value })}
            />
          </div>
          <button type="button" className="button button--secondary button--small" onClick={() => remove(r.key)}>
            Take off theme {i + 1}
            <span className="visually-hidden"> {r.code || "(new)"}</span>
          </button>
        </fieldset>
      ))}
      <div className="button-group">
        <button type="button" id="add-theme" className="button button--secondary" onClick={add}>
          Add a theme
        </button>
        <button type="submit" className="button">
          Save the themes
        </button>
      </div>
    </form>
  );
}
