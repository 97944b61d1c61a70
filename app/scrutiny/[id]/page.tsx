import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { orNotFound } from "@/app/lib/dashboard";
import { formatUkDate } from "@/server/calendar/dates";
import { writtenIdSchema } from "@/server/inputs";
import { RATINGS } from "@/server/scrutiny/samples";

export const metadata: Metadata = { title: "Scrutiny sample" };

const RATING_TEXT: Record<(typeof RATINGS)[number], string> = {
  good: "Good",
  adequate: "Adequate",
  requires_improvement: "Requires improvement",
  inadequate: "Inadequate",
};

export default async function SamplePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { caller } = await capabilitiesFor(`/scrutiny/${encodeURIComponent(id)}`);
  // An id no scrutiny sample could have (0, -1, "1e3", too long) is answered as one that does not exist.
  const parsed = writtenIdSchema("a scrutiny sample").safeParse(id);
  if (!parsed.success) notFound();
  const sample = await orNotFound(caller.scrutiny.sample({ id: parsed.data }));
  const rated = sample.records.filter((r) => r.rating).length;
  return (
    <>
      <span className="govuk-caption-l">{sample.partnerships.join(", ")}</span>
      <h1 className="govuk-heading-xl">Scrutiny sample {sample.id}</h1>
      <p className="govuk-body">
        {sample.size} of {sample.eligible} escalations whose concern arose from {sample.from} to {sample.to}
        {sample.themes.length ? ` with the theme ${sample.themes.join(" or ")}` : ""}, drawn on {formatUkDate(sample.createdAt.toISOString().slice(0, 10))} by{" "}
        {sample.createdBy} with seed <code data-seed>{sample.seed}</code>. {rated} of {sample.size} rated.
      </p>
      <p className="govuk-body">
        <a className="govuk-link" href={`/api/scrutiny/${sample.id}?format=csv`} download>
          Sample and findings as CSV
        </a>{" "}
        ·{" "}
        <a className="govuk-link" href={`/api/scrutiny/${sample.id}?format=arrow`} download>
          as Arrow
        </a>
      </p>
      {sample.records.map((r) => (
        <section className="app-filters" key={r.position} id={`record-${r.position}`} aria-labelledby={`record-${r.position}-title`}>
          <h2 className="govuk-heading-s" id={`record-${r.position}-title`}>
            {r.position}.{" "}
            <a className="govuk-link" href={`/records/${r.partnership}/${r.id}`}>
              {r.recordRef}
            </a>{" "}
            — {r.raisingAgency} to {r.receivingAgency}, concern {formatUkDate(r.concernAroseOn)}, {r.status}
          </h2>
          <form method="post" action="/api/scrutiny/finding" autoComplete="off">
            <input type="hidden" name="sample" value={sample.id} />
            <input type="hidden" name="position" value={r.position} />
            <div className="app-filters__row">
              <div className="govuk-form-group">
                <label className="govuk-label govuk-label--s" htmlFor={`rating-${r.position}`}>
                  Rating
                </label>
                <select className="govuk-select" id={`rating-${r.position}`} name="rating" defaultValue={r.rating ?? ""}>
                  <option value="">Not rated yet</option>
                  {RATINGS.map((rating) => (
                    <option key={rating} value={rating}>
                      {RATING_TEXT[rating]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="govuk-form-group">
                <label className="govuk-label govuk-label--s" htmlFor={`note-${r.position}`}>
                  Finding
                </label>
                <textarea className="govuk-textarea" id={`note-${r.position}`} name="note" rows={2} cols={60} defaultValue={r.note ?? ""} />
              </div>
              <button type="submit" className="govuk-button govuk-button--secondary">
                Save the finding on {r.recordRef}
              </button>
            </div>
          </form>
        </section>
      ))}
    </>
  );
}
