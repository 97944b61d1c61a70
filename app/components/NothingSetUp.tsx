import type { Dashboard } from "@/app/lib/dashboard";
import { ErrorSummary } from "./ErrorSummary";

/**
 * A page of figures on a deployment with no partnership set up yet (or none of the person's): what
 * the page will show, and what to do first. A business manager loads the reference data; anyone
 * else asks them.
 */
export function NothingSetUp({ dashboard, title }: { dashboard: Dashboard; title: string }) {
  const { capabilities } = dashboard;
  return (
    <>
      <h1 className="govuk-heading-xl">{title}</h1>
      <ErrorSummary errors={dashboard.errors} />
      <div className="govuk-inset-text" data-empty="no-partnerships">
        {capabilities.maySetUpPartnerships ? (
          <>
            <p className="govuk-body">
              <strong>No partnerships are set up yet{capabilities.figurePartnerships === "all" ? "" : " for your account"}.</strong> Load the reference
              data (partnerships, procedures, agencies and closure days) with <code>npm run cli -- config load FILE</code>, then agencies can upload
              their logs on the <a className="govuk-link" href="/uploads">uploads page</a>.
            </p>
            <p className="govuk-body">
              <code>db/reference/demo.json</code> is an example of the file; <code>npm run cli -- help</code> lists every command.
            </p>
          </>
        ) : (
          <p className="govuk-body">
            <strong>No partnership you can see is set up yet.</strong> Your partnership&apos;s business manager sets partnerships up; ask them when
            the figures will be here.
          </p>
        )}
      </div>
    </>
  );
}
