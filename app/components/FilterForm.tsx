/**
 * The filters of a dashboard page as a plain GET form: choosing and pressing "Show" changes the URL,
 * so the view can be shared as a link and the back button returns to the previous one.
 */
import type { Dashboard } from "@/app/lib/dashboard";
import { quarterChoices } from "@/app/lib/dashboard";
import { PartnershipChoices, QuarterSelect, ThemeSelect } from "./Choices";

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
        <PartnershipChoices partnerships={partnerships} chosen={filters.partnerships} />
        <div>
          <QuarterSelect id="filter-quarter" name="quarter" text={fields.range ? "To quarter" : "Quarter"} quarters={quarters} chosen={filters.quarter} label={label} />
          {fields.range ? <QuarterSelect id="filter-from" name="from" text="From quarter" quarters={quarters} chosen={filters.from} label={label} /> : null}
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
          {fields.theme ? <ThemeSelect id="filter-theme" themes={themes} chosen={filters.theme} /> : null}
          {filters.asOf ? <input type="hidden" name="asOf" value={filters.asOf} /> : null}
          <button type="submit" className="govuk-button govuk-!-margin-bottom-3" data-module="govuk-button">
            Show
          </button>
        </div>
      </div>
    </form>
  );
}
