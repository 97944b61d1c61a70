import type { Metadata } from "next";
import { AdminOnly } from "@/app/admin/adminPage";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { nextStep, SetupTaskList } from "./SetupProgress";

export const metadata: Metadata = { title: "Setting up the warehouse" };

/**
 * A new deployment's set-up, in order: the partnership, its procedure, its agencies, the people who
 * sign in, and the upload templates the agencies fill in. Each step is a page of its own.
 */
export default async function SetupPage() {
  const capabilities = await capabilitiesFor("/setup");
  if (!capabilities.maySetUpPartnerships) return <AdminOnly title="Set-up" />;
  const setup = await capabilities.caller.reference.setup();
  const next = nextStep(setup);
  return (
    <>
      <h1 className="govuk-heading-xl">Setting up the warehouse</h1>
      {setup.complete ? (
        <p className="lede" data-testid="setup-state">
          Set-up is done: every step below is complete. Each page is still where you change what it holds.
        </p>
      ) : (
        <p className="lede" data-testid="setup-state">
          Before agencies can upload their logs, the warehouse needs to know your partnership, its procedure, its agencies and who signs in. Do
          the steps in order; you can come back to any of them.
        </p>
      )}
      <SetupTaskList setup={setup} />
      {next && (
        <a className="button" href={next.href} role="button" draggable={false} data-module="govuk-button">
          {setup.steps.some((s) => s.done) ? "Continue" : "Start"}: {next.label.charAt(0).toLowerCase() + next.label.slice(1)}
        </a>
      )}
      <h2 className="govuk-heading-m govuk-!-margin-top-8">Also kept here</h2>
      <ul className="govuk-list">
        <li>
          <a className="govuk-link" href="/admin">
            Set-up pages: partnerships, procedures, agencies, themes and bank holidays
          </a>
        </li>
      </ul>
    </>
  );
}
