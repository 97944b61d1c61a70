import type { SetupStatus, SetupStep } from "@/app/admin/types";

/**
 * Where a new deployment's set-up stands: the five steps in order (partnership, procedure, agencies,
 * users, upload templates), each with whether it is done, as GOV.UK's task list. The first step not
 * done is the one to do next; a step page names itself as the current one.
 */
export function SetupTaskList({ setup, current, idPrefix = "setup" }: { setup: SetupStatus; current?: SetupStep["key"]; idPrefix?: string }) {
  const next = nextStep(setup);
  return (
    <ol className="govuk-task-list" data-setup={setup.complete ? "complete" : "incomplete"}>
      {setup.steps.map((step, i) => {
        const statusId = `${idPrefix}-${step.key}-status`;
        const status = step.done ? "Done" : step.key === next?.key ? "Next" : "Not done yet";
        return (
          <li key={step.key} className="govuk-task-list__item govuk-task-list__item--with-link" data-step={step.key} data-done={step.done}>
            <div className="govuk-task-list__name-and-hint">
              <a className="govuk-link govuk-task-list__link" href={step.href} aria-describedby={statusId} aria-current={step.key === current ? "step" : undefined}>
                {i + 1}. {step.label}
              </a>
              {step.key === current ? <div className="govuk-task-list__hint">You are on this step</div> : null}
            </div>
            <div className="govuk-task-list__status" id={statusId}>
              {step.done ? status : <strong className={`govuk-tag ${step.key === next?.key ? "govuk-tag--blue" : "govuk-tag--grey"}`}>{status}</strong>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** The first step not done, or none when set-up is complete. */
export function nextStep(setup: SetupStatus): SetupStep | undefined {
  return setup.steps.find((s) => !s.done);
}

/**
 * On a step's page while set-up is not complete: which step this is, and the way on to the next
 * one. Nothing once set-up is complete (the page is then simply where the reference data is kept).
 */
export function SetupBanner({ setup, current }: { setup: SetupStatus; current: SetupStep["key"] }) {
  if (setup.complete) return null;
  const index = setup.steps.findIndex((s) => s.key === current);
  const following = setup.steps[index + 1];
  return (
    <div className="govuk-notification-banner" role="region" aria-labelledby="setup-banner-title" data-module="govuk-notification-banner">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="setup-banner-title">
          Setting up, step {index + 1} of {setup.steps.length}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{setup.steps[index]?.label}</p>
        <p className="govuk-body">
          {following ? (
            <>
              Then:{" "}
              <a className="govuk-notification-banner__link" href={following.href}>
                step {index + 2}, {following.label.charAt(0).toLowerCase() + following.label.slice(1)}
              </a>
              .{" "}
            </>
          ) : null}
          <a className="govuk-notification-banner__link" href="/setup">
            All the set-up steps
          </a>
        </p>
      </div>
    </div>
  );
}

/** On the overview while set-up is not done: how far it has got, and the next step. */
export function SetupNotice({ setup }: { setup: SetupStatus }) {
  const next = nextStep(setup);
  if (setup.complete || !next) return null;
  const done = setup.steps.filter((s) => s.done).length;
  return (
    <div className="govuk-notification-banner" role="region" aria-labelledby="setup-notice-title" data-module="govuk-notification-banner" data-setup="incomplete">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="setup-notice-title">
          Set-up is not finished
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">
          {done} of {setup.steps.length} set-up steps done. Next, step {setup.steps.indexOf(next) + 1}:{" "}
          <a className="govuk-notification-banner__link" href={next.href}>
            {next.label.charAt(0).toLowerCase() + next.label.slice(1)}
          </a>
          .
        </p>
        <p className="govuk-body">
          <a className="govuk-notification-banner__link" href="/setup">
            All the set-up steps
          </a>
        </p>
      </div>
    </div>
  );
}
