"use client";

import { ProblemMessage } from "./error";
import "./styles.scss";

/** When even the page's frame (which reads the signed-in person) could not be made. */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en-GB" className="govuk-template">
      <body className="govuk-template__body">
        <div className="govuk-width-container">
          <main id="main-content" className="govuk-main-wrapper">
            <ProblemMessage retry={reset} />
          </main>
        </div>
      </body>
    </html>
  );
}
