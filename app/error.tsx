"use client";

/**
 * What a page shows when it could not be made: in production the reason is not sent to the browser,
 * so the words cover the likely one (the database restarting or unreachable) and what to do.
 */
export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ProblemMessage retry={reset} />;
}

export function ProblemMessage({ retry }: { retry: () => void }) {
  return (
    <>
      <h1 className="govuk-heading-xl">Sorry, this page could not be shown just now</h1>
      <p className="govuk-body">
        The warehouse could not get the figures for this page. If its database is restarting this clears within a minute, and nothing you
        saved has been lost.
      </p>
      <p className="govuk-body">
        <button type="button" className="govuk-button" data-module="govuk-button" onClick={retry}>
          Try again
        </button>
      </p>
      <p className="govuk-body">If it keeps happening, tell your partnership&apos;s business manager.</p>
    </>
  );
}
