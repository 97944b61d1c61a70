import type { Metadata } from "next";
import { signedInCapabilities } from "@/app/lib/capabilities";
import { NavLinks } from "./NavLinks";
import { SignOutButton } from "./SignOutButton";
import "./styles.scss";

export const metadata: Metadata = {
  title: { default: "Escalation warehouse", template: "%s – Escalation warehouse" },
  description: "How well safeguarding partnerships resolve professional differences: escalations, dissent, timescales and themes.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The same capabilities the page reads (one lookup per request): the navigation shows what they open.
  const capabilities = await signedInCapabilities();
  const principal = capabilities?.principal;
  return (
    <html lang="en-GB" className="govuk-template">
      <body className="govuk-template__body">
        <a href="#main-content" className="govuk-skip-link">
          Skip to main content
        </a>
        <header className="app-header">
          <div className="govuk-width-container">
            {principal ? (
              <span className="app-header__user">
                {principal.name} · <SignOutButton />
              </span>
            ) : null}
            <a href="/" className="app-header__service">
              Escalation warehouse
            </a>
            <span className="app-header__tag">Resolving professional differences</span>
          </div>
        </header>
        {capabilities ? (
          <section aria-label="Service navigation" className="govuk-service-navigation">
            <div className="govuk-width-container">
              <div className="govuk-service-navigation__container">
                <nav aria-label="Main" className="govuk-service-navigation__wrapper">
                  <NavLinks sections={capabilities.sections} />
                </nav>
              </div>
            </div>
          </section>
        ) : null}
        <div className="govuk-width-container app-wide">
          <main id="main-content" className="govuk-main-wrapper app-main">
            {children}
          </main>
        </div>
        <footer className="govuk-footer">
          <div className="govuk-width-container">
            <p className="govuk-footer__meta-custom">
              Figures are computed from the agencies&apos; uploaded logs, as defined in the{" "}
              <a className="govuk-footer__link" href="/glossary">
                glossary
              </a>
              . Children are never named: records carry pseudonyms only.
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
