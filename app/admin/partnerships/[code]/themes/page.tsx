import type { Metadata } from "next";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { STANDARD_THEMES } from "@/server/reference/themes";
import { AdminOnly, partnershipNamed } from "../../../adminPage";
import { ThemesForm } from "./ThemesForm";

export const metadata: Metadata = { title: "Themes" };

/** The standard themes every partnership has, and the partnership's own with their synonyms. */
export default async function PartnershipThemesPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const capabilities = await capabilitiesFor(`/admin/partnerships/${code}/themes`);
  if (!capabilities.maySetUpPartnerships) return <AdminOnly title="Themes" />;
  const partnership = partnershipNamed(await capabilities.caller.reference.partnerships(), code);
  return (
    <>
      <a className="govuk-back-link" href={`/admin/partnerships/${encodeURIComponent(partnership.code)}`}>
        {partnership.name}
      </a>
      <h1 className="govuk-heading-xl">
        <span className="govuk-caption-l">{partnership.name}</span>
        Themes
      </h1>
      <p className="lede">
        What escalations are about. Every partnership has the standard themes; a partnership may add its own, and the words its agencies&apos;
        exports use for them.
      </p>
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">The standard themes ({STANDARD_THEMES.length})</span>
        </summary>
        <div className="govuk-details__text">
          <ul className="govuk-list govuk-list--bullet">
            {STANDARD_THEMES.map((t) => (
              <li key={t.code}>
                {t.label} (<code>{t.code}</code>){t.synonyms.length ? `: also ${t.synonyms.join(", ")}` : ""}
              </li>
            ))}
          </ul>
        </div>
      </details>
      <ThemesForm partnership={partnership.code} themes={partnership.themes} />
    </>
  );
}
