import type { Metadata } from "next";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { SetupBanner } from "@/app/setup/SetupProgress";
import { AdminOnly, targetMeasures } from "../adminPage";
import { PartnershipForm } from "./PartnershipForm";

export const metadata: Metadata = { title: "Partnerships" };

export default async function PartnershipsPage() {
  const capabilities = await capabilitiesFor("/admin/partnerships");
  if (!capabilities.maySetUpPartnerships) return <AdminOnly title="Partnerships" />;
  const { caller } = capabilities;
  const [setup, partnerships] = [await caller.reference.setup(), await caller.reference.partnerships()];
  return (
    <>
      <SetupBanner setup={setup} current="partnership" />
      <h1 className="govuk-heading-xl">Partnerships</h1>
      <p className="lede">
        Each partnership&apos;s own settings, its procedure and its themes. You change the partnerships you are business manager of; every change is
        recorded in the audit log.
      </p>
      <table className="govuk-table" id="partnerships">
        <caption className="govuk-table__caption govuk-table__caption--m">Your partnerships</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Partnership</th>
            <th scope="col" className="govuk-table__header">Procedure in force now</th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">Agencies</th>
            <th scope="col" className="govuk-table__header">Change</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {partnerships.length === 0 && (
            <tr className="govuk-table__row">
              <td className="govuk-table__cell" colSpan={4}>
                No partnership is set up yet. Add the first below.
              </td>
            </tr>
          )}
          {partnerships.map((p) => {
            const current = p.versions.at(-1);
            return (
              <tr className="govuk-table__row" key={p.code} data-partnership={p.code}>
                <th scope="row" className="govuk-table__header">
                  {p.name} ({p.code})
                </th>
                <td className="govuk-table__cell">
                  {current ? `${current.name}: ${current.stages.length} ${current.stageWord}s` : <strong className="govuk-tag govuk-tag--red">No procedure yet</strong>}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{p.agencies.length}</td>
                <td className="govuk-table__cell">
                  <ul className="govuk-list">
                    <li>
                      <a className="govuk-link" href={`/admin/partnerships/${encodeURIComponent(p.code)}`}>
                        Settings<span className="govuk-visually-hidden"> of {p.name}</span>
                      </a>
                    </li>
                    <li>
                      <a className="govuk-link" href={`/admin/partnerships/${encodeURIComponent(p.code)}/procedure`}>
                        Procedure<span className="govuk-visually-hidden"> of {p.name}</span>
                      </a>
                    </li>
                    <li>
                      <a className="govuk-link" href={`/admin/partnerships/${encodeURIComponent(p.code)}/themes`}>
                        Themes<span className="govuk-visually-hidden"> of {p.name}</span>
                      </a>
                    </li>
                  </ul>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <PartnershipForm measures={targetMeasures()} />
    </>
  );
}
