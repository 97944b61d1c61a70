import type { Dashboard } from "@/app/lib/dashboard";
import { formatUkDate, todayInLondon } from "@/server/calendar/dates";

/** The page title, what it covers, and the reminder that the figures are exact (not for publication). */
export function PageHeading({ dashboard, title, range }: { dashboard: Dashboard; title: string; range?: boolean }) {
  const { filters, partnerships, label, agencyName, themeLabel } = dashboard;
  const names = filters.partnerships.map((code) => partnerships.find((p) => p.code === code)?.name ?? code);
  const period = range && filters.from !== filters.quarter ? `${label(filters.from)} to ${label(filters.quarter)}` : label(filters.quarter);
  const narrowed = [filters.agency ? `agency ${agencyName(filters.agency)}` : null, filters.theme ? `theme "${themeLabel(filters.theme)}"` : null].filter(Boolean);
  return (
    <>
      <span className="govuk-caption-l">{names.join(", ")}</span>
      <h1 className="govuk-heading-xl">{title}</h1>
      <p className="govuk-body" data-scope="period">
        {period}, as the records stood on {formatUkDate(filters.asOf ?? todayInLondon())}
        {narrowed.length ? `; only escalations and dissent involving ${narrowed.join(" and ")}` : ""}.{" "}
        <span className="app-exact">
          <strong className="govuk-tag govuk-tag--yellow">Exact figures</strong> for your partnership&apos;s own use: not for publication (published
          reports hide small numbers).
        </span>
      </p>
    </>
  );
}
