"use client";

import { ProblemMessage } from "./error";
import "./styles.scss";

/** When even the page's frame (which reads the signed-in person) could not be made. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en-GB" className="govuk-template">
      <body className="govuk-template__body">
        <title>Page not shown – Escalation warehouse</title>
        <header className="app-header">
          <div className="govuk-width-container">
            <a href="/" className="app-header__service">
              Escalation warehouse
            </a>
          </div>
        </header>
        <div className="govuk-width-container">
          <main id="main-content" className="govuk-main-wrapper">
            <ProblemMessage retry={reset} reference={error.digest} />
          </main>
        </div>
      </body>
    </html>
  );
}
