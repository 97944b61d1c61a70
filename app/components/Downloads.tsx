import { hrefWith, type Filters } from "@/app/lib/dashboard";

/** Links to download a dataset of the page, for its filters, as CSV or Arrow IPC (every download is audit-logged). */
export function Downloads({ dataset, title, filters }: { dataset: string; title: string; filters: Filters }) {
  const href = (format: string) => hrefWith(`/api/downloads/${dataset}`, filters, { format });
  return (
    <p className="govuk-body app-downloads">
      Download {title.toLowerCase()}:{" "}
      <a className="govuk-link" href={href("csv")} download>
        CSV<span className="govuk-visually-hidden"> ({title})</span>
      </a>{" "}
      ·{" "}
      <a className="govuk-link" href={href("arrow")} download>
        Arrow<span className="govuk-visually-hidden"> ({title})</span>
      </a>
    </p>
  );
}
