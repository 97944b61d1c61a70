import type { Metadata } from "next";
import "./globals.css";
import { SignOutButton } from "./SignOutButton";

export const metadata: Metadata = {
  title: { default: "Escalation warehouse", template: "%s – Escalation warehouse" },
  description: "How well safeguarding partnerships resolve professional differences: escalations, dissent, timescales and themes.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en-GB">
      <body>
        <a href="#main-content" className="skip-link">
          Skip to main content
        </a>
        <header className="app-header">
          <div className="app-width">
            <a href="/" className="app-header__service">
              Escalation warehouse
            </a>
            <span className="app-header__tag">Resolving professional differences</span>
            <nav aria-label="Main">
              <ul className="app-nav">
                <li>
                  <a href="/">Overview</a>
                </li>
                <li>
                  <a href="/uploads">Uploads</a>
                </li>
                <li>
                  <a href="/glossary">Glossary</a>
                </li>
                <li>
                  <a href="/audit">Audit log</a>
                </li>
                <li>
                  <a href="/admin/users">Users</a>
                </li>
                <li>
                  <SignOutButton />
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <div className="app-width">
          <main id="main-content" className="app-main">
            {children}
          </main>
        </div>
        <footer className="app-footer">
          <div className="app-width">Figures are computed from the agencies&apos; uploaded logs, as defined in the <a href="/glossary">glossary</a>.</div>
        </footer>
      </body>
    </html>
  );
}
