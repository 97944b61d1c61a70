import type { Metadata } from "next";
import { AdminOnly } from "@/app/admin/adminPage";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { UPLOAD_KINDS } from "@/importers/formats";
import { SetupBanner } from "../SetupProgress";

export const metadata: Metadata = { title: "Upload templates" };

const KINDS: Record<string, { label: string; what: string }> = {
  escalations: { label: "Escalations", what: "one row per escalation raised under the procedure, with the date each stage concluded" },
  dissent: { label: "Conference dissent", what: "one row per professional's dissent at a child protection conference" },
  conference_activity: { label: "Conference activity", what: "how many conferences were held each month" },
};

/** The last set-up step: the templates the agencies fill in, and where their uploaders upload them. */
export default async function TemplatesStepPage() {
  const capabilities = await capabilitiesFor("/setup/templates");
  if (!capabilities.maySetUpPartnerships) return <AdminOnly title="Upload templates" />;
  const setup = await capabilities.caller.reference.setup();
  return (
    <>
      <SetupBanner setup={setup} current="templates" />
      <h1 className="govuk-heading-xl">Upload templates</h1>
      <p className="lede">
        Send each agency the templates for the logs it keeps. Each has the header row and one example row; columns may be in any order, and
        common other names for them are accepted.
      </p>
      <ul className="govuk-list govuk-list--spaced" id="templates">
        {UPLOAD_KINDS.map((kind) => (
          <li key={kind}>
            <a className="govuk-link" href={`/api/uploads/templates/${kind}.csv`} download>
              {KINDS[kind]?.label ?? kind} template (CSV)
            </a>
            <div className="govuk-hint govuk-!-margin-bottom-0">{KINDS[kind]?.what}</div>
          </li>
        ))}
      </ul>
      <p className="govuk-body">
        Each agency&apos;s uploader signs in and uploads the filled-in file on the{" "}
        <a className="govuk-link" href="/uploads">
          uploads page
        </a>
        , which has these templates too. They see every row that cannot be loaded, and why, before anything is saved.
      </p>
      {setup.complete && (
        <p className="govuk-body">
          Set-up is done. The <a className="govuk-link" href="/">overview</a> shows the figures once the first logs are uploaded.
        </p>
      )}
    </>
  );
}
