import type { Dashboard } from "@/app/lib/dashboard";
import { nextStep, SetupTaskList } from "@/app/setup/SetupProgress";
import { ErrorSummary } from "./ErrorSummary";

/**
 * A page of figures on a deployment with no partnership set up yet (or none of the person's): what
 * the page will show, and what to do first. A business manager sees where the set-up stands and is
 * led to its next step; anyone else asks them.
 */
export async function NothingSetUp({ dashboard, title }: { dashboard: Dashboard; title: string }) {
  const { capabilities } = dashboard;
  const setup = capabilities.maySetUpPartnerships ? await capabilities.caller.reference.setup() : null;
  const next = setup ? nextStep(setup) : undefined;
  return (
    <>
      <h1 className="govuk-heading-xl">{title}</h1>
      <ErrorSummary errors={dashboard.errors} />
      <div className="govuk-inset-text" data-empty="no-partnerships">
        {setup ? (
          <>
            <p className="govuk-body">
              <strong>No partnerships are set up yet{capabilities.figurePartnerships === "all" ? "" : " for your account"}.</strong> Set the
              warehouse up in five steps: your partnership, its procedure, its agencies, who signs in, and the templates agencies upload.
              {next ? (
                <>
                  {" "}
                  <a className="govuk-link" href={next.href}>
                    {setup.steps.some((s) => s.done) ? "Continue" : "Start"} with step {setup.steps.indexOf(next) + 1}:{" "}
                    {next.label.charAt(0).toLowerCase() + next.label.slice(1)}
                  </a>
                  .
                </>
              ) : null}
            </p>
            <p className="govuk-body">
              A deployment with its reference data in a file loads it with <code>npm run cli -- config load FILE</code> instead (
              <code>db/reference/demo.json</code> is an example).
            </p>
          </>
        ) : (
          <p className="govuk-body">
            <strong>No partnership you can see is set up yet.</strong> Your partnership&apos;s business manager sets partnerships up; ask them when
            the figures will be here.
          </p>
        )}
      </div>
      {setup ? (
        <>
          <h2 className="govuk-heading-m">Where set-up stands</h2>
          <SetupTaskList setup={setup} idPrefix="overview-setup" />
        </>
      ) : null}
    </>
  );
}
