import type { Metadata } from "next";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { SetupTaskList } from "@/app/setup/SetupProgress";
import { AdminOnly } from "./adminPage";

export const metadata: Metadata = { title: "Set-up" };

/** The business manager's pages: where set-up stands, and every kind of reference data with where it is kept. */
export default async function AdminPage() {
  const capabilities = await capabilitiesFor("/admin");
  if (!capabilities.maySetUpPartnerships) return <AdminOnly title="Set-up" />;
  const { caller } = capabilities;
  const [setup, partnerships] = [await caller.reference.setup(), await caller.reference.partnerships()];
  return (
    <>
      <h1 className="govuk-heading-xl">Set-up</h1>
      <p className="lede">
        What the warehouse knows about your partnerships: their settings and procedures, their agencies and themes, and who signs in. Every
        change is recorded in the audit log.
      </p>
      {!setup.complete && (
        <>
          <h2 className="govuk-heading-m">Setting up</h2>
          <SetupTaskList setup={setup} idPrefix="admin-setup" />
        </>
      )}
      <h2 className="govuk-heading-m">Partnerships</h2>
      {partnerships.length === 0 ? (
        <p className="govuk-body">
          None yet. <a className="govuk-link" href="/admin/partnerships">Add the first partnership</a>.
        </p>
      ) : (
        <ul className="govuk-list govuk-list--spaced">
          {partnerships.map((p) => {
            const base = `/admin/partnerships/${encodeURIComponent(p.code)}`;
            return (
              <li key={p.code}>
                <strong>{p.name}</strong>:{" "}
                <a className="govuk-link" href={base}>
                  settings<span className="govuk-visually-hidden"> of {p.name}</span>
                </a>
                ,{" "}
                <a className="govuk-link" href={`${base}/procedure`}>
                  procedure<span className="govuk-visually-hidden"> of {p.name}</span>
                </a>
                ,{" "}
                <a className="govuk-link" href={`${base}/themes`}>
                  themes<span className="govuk-visually-hidden"> of {p.name}</span>
                </a>
              </li>
            );
          })}
          <li>
            <a className="govuk-link" href="/admin/partnerships">
              All partnerships, or add one
            </a>
          </li>
        </ul>
      )}
      <h2 className="govuk-heading-m">Shared by your partnerships</h2>
      <ul className="govuk-list govuk-list--spaced">
        <li>
          <a className="govuk-link" href="/admin/agencies">
            Agencies
          </a>
          : their names, sectors, other names and partnerships
        </li>
        <li>
          <a className="govuk-link" href="/admin/users">
            Users
          </a>
          : who signs in, and what each may see
        </li>
        <li>
          <a className="govuk-link" href="/admin/bank-holidays">
            Bank holidays
          </a>
          : corrections to England and Wales bank holidays, for the whole deployment
        </li>
        <li>
          <a className="govuk-link" href="/setup/templates">
            Upload templates
          </a>
          : what agencies fill in
        </li>
      </ul>
    </>
  );
}
