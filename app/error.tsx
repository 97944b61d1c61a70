"use client";

/**
 * What a page shows when it could not be made. In production the reason is not sent to the browser,
 * so the page does not guess one (it used to say the database might be restarting, which a
 * page's own fault made untrue); it gives the error's reference, which the server's log carries.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ProblemMessage retry={reset} reference={error.digest} />;
}

export function ProblemMessage({ retry, reference }: { retry: () => void; reference?: string }) {
  return (
    <>
      <h1 className="govuk-heading-xl">Sorry, this page could not be shown just now</h1>
      <p className="govuk-body">Something went wrong while making this page. Nothing you saved has been lost.</p>
      <p className="govuk-body">
        <button type="button" className="govuk-button" data-module="govuk-button" onClick={retry}>
          Try again
        </button>
      </p>
      <p className="govuk-body">
        If it keeps happening, tell your partnership&apos;s business manager
        {reference ? (
          <>
            , giving them this reference: <code data-error-reference>{reference}</code>
          </>
        ) : null}
        .
      </p>
    </>
  );
}
