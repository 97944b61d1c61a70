import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { SetupBanner } from "@/app/setup/SetupProgress";
import { AdminOnly, SECTOR_LABELS, sectorChoices } from "../adminPage";
import { AgencyForm } from "./AgencyForm";

export const metadata: Metadata = { title: "Agencies" };

type SearchParams = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function AgenciesAdminPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const capabilities = await capabilitiesFor("/admin/agencies");
  if (!capabilities.maySetUpPartnerships) return <AdminOnly title="Agencies" />;
  const { caller } = capabilities;
  const [setup, partnerships, agencies] = [await caller.reference.setup(), await caller.reference.partnerships(), await caller.reference.agencies()];
  const chosen = one((await searchParams).agency);
  const editing = chosen ? agencies.find((a) => a.code.toLowerCase() === chosen.toLowerCase()) : undefined;
  if (chosen && !editing) notFound();
  const names = new Map(partnerships.map((p) => [p.code, p.name]));
  const choices = partnerships.map((p) => ({ code: p.code, name: p.name }));

  return (
    <>
      <SetupBanner setup={setup} current="agencies" />
      <h1 className="govuk-heading-xl">Agencies</h1>
      <p className="lede">
        The agencies that raise and receive escalations in your partnerships, and the names their exports use for them. Uploads match agencies by
        code, name or one of these other names.
      </p>
      {partnerships.length === 0 ? (
        <div className="govuk-inset-text" data-empty="no-partnerships">
          Agencies belong to partnerships: <a className="govuk-link" href="/admin/partnerships">set up a partnership</a> first.
        </div>
      ) : (
        <>
          <div className="app-table-scroll">
            <table className="govuk-table" id="agencies">
              <caption className="govuk-table__caption govuk-table__caption--m">Agencies of your partnerships</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Agency</th>
                  <th scope="col" className="govuk-table__header">Sector</th>
                  <th scope="col" className="govuk-table__header">Other names</th>
                  <th scope="col" className="govuk-table__header">Belongs to</th>
                  <th scope="col" className="govuk-table__header">Change</th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {agencies.length === 0 && (
                  <tr className="govuk-table__row">
                    <td className="govuk-table__cell" colSpan={5}>
                      No agency yet. Add each agency that takes part below.
                    </td>
                  </tr>
                )}
                {agencies.map((a) => (
                  <tr className="govuk-table__row" key={a.code} data-agency={a.code}>
                    <th scope="row" className="govuk-table__header">
                      {a.name} ({a.code})
                    </th>
                    <td className="govuk-table__cell">{SECTOR_LABELS[a.sector as keyof typeof SECTOR_LABELS] ?? a.sector}</td>
                    <td className="govuk-table__cell">{a.aliases.join(", ") || "none"}</td>
                    <td className="govuk-table__cell">
                      {a.partnerships.map((p) => names.get(p) ?? p).join(", ")}
                      {a.sharedWith.length > 0 && (
                        <>
                          <br />
                          <strong className="govuk-tag govuk-tag--yellow">Shared</strong> also {a.sharedWith.join(", ")}, which you do not manage
                        </>
                      )}
                    </td>
                    <td className="govuk-table__cell">
                      <a className="govuk-link" href={`/admin/agencies?agency=${encodeURIComponent(a.code)}#agency-title`}>
                        Change<span className="govuk-visually-hidden"> {a.name}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {editing && (
            <>
              <AgencyForm
                key={editing.code}
                existing={{ code: editing.code, name: editing.name, sector: editing.sector, aliases: editing.aliases, partnerships: editing.partnerships, sharedWith: editing.sharedWith }}
                partnerships={choices}
                sectors={sectorChoices()}
              />
              <p className="govuk-body">
                <a className="govuk-link" href="/admin/agencies">
                  Add an agency instead
                </a>
              </p>
            </>
          )}
          {!editing && <AgencyForm partnerships={choices} sectors={sectorChoices()} />}
        </>
      )}
    </>
  );
}
