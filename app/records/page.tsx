import type { Metadata } from "next";
import { Downloads } from "@/app/components/Downloads";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { FilterForm } from "@/app/components/FilterForm";
import { NothingSetUp } from "@/app/components/NothingSetUp";
import { PageHeading } from "@/app/components/PageHeading";
import { preload } from "react-dom";
import { figureInput, hrefWith, openDashboard, orNotFound, type SearchParams } from "@/app/lib/dashboard";
import { RecordsTable } from "./RecordsTable";

export const metadata: Metadata = { title: "Records" };

export default async function RecordsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const dashboard = await openDashboard("/records", await searchParams, { records: true, trendQuarters: 4 });
  if (dashboard.partnerships.length === 0) return <NothingSetUp dashboard={dashboard} title="Escalation records" />;
  const { filters, caller } = dashboard;
  const src = hrefWith("/api/records", filters);
  // The browser starts loading the whole list while it reads the page (the table's fetch reuses the response).
  preload(src, { as: "fetch", crossOrigin: "anonymous" });
  const initial = await orNotFound(caller.records.first(figureInput(filters)));
  const lead = dashboard.capabilities.ledAgencies[0];
  return (
    <>
      <PageHeading dashboard={dashboard} title="Escalation records" range />
      <ErrorSummary errors={dashboard.errors} />
      <p className="govuk-body">
        Escalations whose concern arose in the quarters chosen, as they stood on the as-of date. Children appear only as a pseudonym: the same
        pseudonym means the same child, never who the child is.
        {lead ? ` As ${lead}'s lead you see the escalations your agency uploaded, raised or received.` : ""} Each escalation is judged by the
        procedure version in force on the day its concern arose; days overdue are counted in its current stage&apos;s unit (working days, or
        calendar days where the version sets that stage&apos;s limit in calendar days). Opening records is recorded in the audit log.
      </p>
      <FilterForm dashboard={dashboard} action="/records" fields={{ range: true, agency: true, theme: true }} />
      <Downloads dataset="records" title="These records" filters={filters} />
      <RecordsTable src={src} asOf={filters.asOf} initial={initial} />
    </>
  );
}
