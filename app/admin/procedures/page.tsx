import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { SetupBanner } from "@/app/setup/SetupProgress";
import { AdminOnly } from "../adminPage";

export const metadata: Metadata = { title: "Procedures" };

/** Each partnership's procedure: with one partnership, its procedure page; with several, the list (those with none first). */
export default async function ProceduresPage() {
  const capabilities = await capabilitiesFor("/admin/procedures");
  if (!capabilities.maySetUpPartnerships) return <AdminOnly title="Procedures" />;
  const { caller } = capabilities;
  const [setup, partnerships] = [await caller.reference.setup(), await caller.reference.partnerships()];
  if (partnerships.length === 1) redirect(`/admin/partnerships/${encodeURIComponent(partnerships[0]!.code)}/procedure`);
  const ordered = [...partnerships].sort((a, b) => Number(a.versions.length > 0) - Number(b.versions.length > 0));
  return (
    <>
      <SetupBanner setup={setup} current="procedure" />
      <h1 className="govuk-heading-xl">Procedures</h1>
      {partnerships.length === 0 ? (
        <div className="govuk-inset-text" data-empty="no-partnerships">
          A procedure is a partnership&apos;s: <a className="govuk-link" href="/admin/partnerships">set up a partnership</a> first.
        </div>
      ) : (
        <ul className="govuk-list govuk-list--spaced" id="procedures">
          {ordered.map((p) => (
            <li key={p.code}>
              <a className="govuk-link" href={`/admin/partnerships/${encodeURIComponent(p.code)}/procedure`}>
                {p.name}
              </a>
              {": "}
              {p.versions.length === 0 ? (
                <strong className="govuk-tag govuk-tag--red">No procedure yet</strong>
              ) : (
                `${p.versions.length} version${p.versions.length === 1 ? "" : "s"}, "${p.versions.at(-1)!.name}" in force now`
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
