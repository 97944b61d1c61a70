/**
 * The filters of a dashboard page as a plain GET form: choosing and pressing "Show" changes the URL,
 * so the view can be shared as a link and the back button returns to the previous one.
 */
import type { Dashboard } from "@/app/lib/dashboard";
import { quarterChoices } from "@/app/lib/dashboard";

export interface FilterFields {
  range?: boolean;
  agency?: boolean;
  theme?: boolean;
}

export function FilterForm({ dashboard, action, fields = {} }: { dashboard: Dashboard; action: string; fields?: FilterFields }) {
  const { filters, partnerships, agencies, themes, label } = dashboard;
  const quarters = quarterChoices(filters.asOf);
  return (
    <form method="get" action={action} className="app-filters" aria-label="Filters" autoComplete="off">
      <div className="app-filters__row">
        <div className="govuk-form-group">
          <fieldset className="govuk-fieldset" id="filter-partnership">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Partnerships</legend>
            <div className="govuk-checkboxes govuk-checkboxes--small app-filters__partnerships" data-module="govuk-checkboxes">
              {partnerships.map((p) => (
                <div className="govuk-checkboxes__item" key={p.code}>
                  <input
                    className="govuk-checkboxes__input"
                    id={`partnership-${p.code}`}
                    name="partnership"
                    type="checkbox"
                    value={p.code}
                    defaultChecked={filters.partnerships.includes(p.code)}
                  />
                  <label className="govuk-label govuk-checkboxes__label" htmlFor={`partnership-${p.code}`}>
                    {p.name}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <div>
          <div className="govuk-form-group">
            <label className="govuk-label govuk-label--s" htmlFor="filter-quarter">
              {fields.range ? "To quarter" : "Quarter"}
            </label>
            <select className="govuk-select" id="filter-quarter" name="quarter" defaultValue={filters.quarter}>
              {quarters.map((q) => (
                <option key={q} value={q}>
                  {label(q)}
                </option>
              ))}
            </select>
          </div>
          {fields.range ? (
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="filter-from">
                From quarter
              </label>
              <select className="govuk-select" id="filter-from" name="from" defaultValue={filters.from}>
                {[...quarters, filters.from].filter((q, i, all) => all.indexOf(q) === i).map((q) => (
                  <option key={q} value={q}>
                    {label(q)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
        </div>
        <div>
          {fields.agency ? (
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="filter-agency">
                Agency (raising or receiving)
              </label>
              <select className="govuk-select" id="filter-agency" name="agency" defaultValue={filters.agency ?? ""}>
                <option value="">All agencies</option>
                {agencies.map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.name} ({a.code})
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {fields.theme ? (
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor="filter-theme">
                Theme
              </label>
              <select className="govuk-select" id="filter-theme" name="theme" defaultValue={filters.theme ?? ""}>
                <option value="">All themes</option>
                {themes.map((t) => (
                  <option key={t.code} value={t.code}>
                    {t.label}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {filters.asOf ? <input type="hidden" name="asOf" value={filters.asOf} /> : null}
          <button type="submit" className="govuk-button govuk-!-margin-bottom-3" data-module="govuk-button">
            Show
          </button>
        </div>
      </div>
    </form>
  );
}
