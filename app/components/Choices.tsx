/** Form fields the dashboard's forms share: the partnerships to include, and a quarter. */
import type { PartnershipSummary } from "@/server/partnerships/list";

export function PartnershipChoices({ partnerships, chosen, legend = "Partnerships", idPrefix = "partnership" }: { partnerships: PartnershipSummary[]; chosen: string[]; legend?: string; idPrefix?: string }) {
  return (
    <div className="govuk-form-group">
      <fieldset className="govuk-fieldset" id="filter-partnership">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <div className="govuk-checkboxes govuk-checkboxes--small app-filters__partnerships" data-module="govuk-checkboxes">
          {partnerships.map((p) => (
            <div className="govuk-checkboxes__item" key={p.code}>
              <input className="govuk-checkboxes__input" id={`${idPrefix}-${p.code}`} name="partnership" type="checkbox" value={p.code} defaultChecked={chosen.includes(p.code)} />
              <label className="govuk-label govuk-checkboxes__label" htmlFor={`${idPrefix}-${p.code}`}>
                {p.name}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** A quarter chooser; the chosen quarter is offered even when it is older than the usual choices. */
export function QuarterSelect({ id, name, text, quarters, chosen, label }: { id: string; name: string; text: string; quarters: string[]; chosen: string; label: (q: string) => string }) {
  const offered = quarters.includes(chosen) ? quarters : [...quarters, chosen];
  return (
    <div className="govuk-form-group">
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        {text}
      </label>
      <select className="govuk-select" id={id} name={name} defaultValue={chosen}>
        {offered.map((q) => (
          <option key={q} value={q}>
            {label(q)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A theme chooser, with "all themes" (no theme) first. */
export function ThemeSelect({ id, themes, chosen, anyText = "All themes" }: { id: string; themes: Array<{ code: string; label: string }>; chosen?: string; anyText?: string }) {
  return (
    <div className="govuk-form-group">
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        Theme
      </label>
      <select className="govuk-select" id={id} name="theme" defaultValue={chosen ?? ""}>
        <option value="">{anyText}</option>
        {themes.map((t) => (
          <option key={t.code} value={t.code}>
            {t.label}
          </option>
        ))}
      </select>
    </div>
  );
}
