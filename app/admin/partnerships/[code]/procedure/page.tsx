import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { SetupBanner } from "@/app/setup/SetupProgress";
import { formatUkDate, isIsoDate } from "@/server/calendar/dates";
import type { QuarterLabelling } from "@/server/calendar/quarters";
import { describeLimit } from "@/server/reference/procedureVersions";
import { AdminOnly, partnershipNamed } from "../../../adminPage";
import type { ManagedVersion } from "../../../types";
import { DeleteVersionButton } from "./DeleteVersionButton";
import { VersionForm, type VersionValues } from "./VersionForm";

export const metadata: Metadata = { title: "Procedure" };

type SearchParams = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const valuesOf = (v: ManagedVersion): VersionValues => ({
  effectiveFrom: v.effectiveFrom,
  name: v.name,
  stageWord: v.stageWord === "step" ? "step" : "stage",
  learningWithinMonths: v.learningWithinMonths,
  totalLimitWorkingDays: v.totalLimitWorkingDays,
  stages: v.stages.map((s) => ({ name: s.name, level: s.level, limitDays: s.limitDays, limitUnit: s.limitUnit })),
});

/**
 * A partnership's procedure: every version with the dates it is in force, and a form for a new
 * version (starting from the one in force now) or for changing one, with its preview.
 */
export default async function ProcedurePage({ params, searchParams }: { params: Promise<{ code: string }>; searchParams: Promise<SearchParams> }) {
  const { code } = await params;
  const query = await searchParams;
  const capabilities = await capabilitiesFor(`/admin/partnerships/${code}/procedure`);
  if (!capabilities.maySetUpPartnerships) return <AdminOnly title="Procedure" />;
  const { caller } = capabilities;
  const [setup, partnerships] = [await caller.reference.setup(), await caller.reference.partnerships()];
  const partnership = partnershipNamed(partnerships, code);
  const versions = partnership.versions;
  const chosen = one(query.version);
  const saved = one(query.saved);
  let editing: ManagedVersion | undefined;
  if (chosen && chosen !== "new") {
    editing = isIsoDate(chosen) ? versions.find((v) => v.effectiveFrom === chosen) : undefined;
    if (!editing) notFound();
  }
  const current = versions.at(-1);
  const base = `/admin/partnerships/${encodeURIComponent(partnership.code)}/procedure`;
  const describe = (v: ManagedVersion, i: number) => (i === 0 ? `from the start (adopted ${formatUkDate(v.effectiveFrom)})` : `from ${formatUkDate(v.effectiveFrom)}`);

  return (
    <>
      <SetupBanner setup={setup} current="procedure" />
      <a className="govuk-back-link" href={`/admin/partnerships/${encodeURIComponent(partnership.code)}`}>
        {partnership.name}
      </a>
      <h1 className="govuk-heading-xl">
        <span className="govuk-caption-l">{partnership.name}</span>
        Procedure
      </h1>
      <p className="lede">
        The partnership&apos;s procedure for resolving professional differences, and each earlier version. Every escalation is judged by the version in
        force on the day its concern arose, so a revision changes the figures only of escalations raised since it took effect.
      </p>
      {saved && isIsoDate(saved) && versions.some((v) => v.effectiveFrom === saved) && (
        <div className="notification" role="status">
          <p className="govuk-body" data-testid="version-saved">
            The version in force from {formatUkDate(saved)} is saved. Figures are now judged by it.
          </p>
        </div>
      )}

      {versions.length > 0 && (
        <div className="app-table-scroll">
          <table className="govuk-table" id="versions">
            <caption className="govuk-table__caption govuk-table__caption--m">Versions, oldest first</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">In force</th>
                <th scope="col" className="govuk-table__header">Name</th>
                <th scope="col" className="govuk-table__header">Stages and limits</th>
                <th scope="col" className="govuk-table__header">Total limit</th>
                <th scope="col" className="govuk-table__header">Learning within</th>
                <th scope="col" className="govuk-table__header">Change</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {versions.map((v, i) => (
                <tr className="govuk-table__row" key={v.effectiveFrom} data-version={v.effectiveFrom}>
                  <th scope="row" className="govuk-table__header">
                    {describe(v, i)}
                    {v.effectiveUntil ? ` to ${formatUkDate(v.effectiveUntil)}` : ", in force now"}
                  </th>
                  <td className="govuk-table__cell">{v.name}</td>
                  <td className="govuk-table__cell">
                    <ol className="govuk-list govuk-list--number">
                      {v.stages.map((s) => (
                        <li key={s.number}>
                          {s.name}
                          {s.level ? ` (${s.level})` : ""}: {describeLimit(s.limitDays, s.limitUnit)}
                        </li>
                      ))}
                    </ol>
                  </td>
                  <td className="govuk-table__cell">{v.totalLimitWorkingDays === null ? "none" : describeLimit(v.totalLimitWorkingDays, "working")}</td>
                  <td className="govuk-table__cell">
                    {v.learningWithinMonths} month{v.learningWithinMonths === 1 ? "" : "s"}
                  </td>
                  <td className="govuk-table__cell">
                    <a className="govuk-link" href={`${base}?version=${v.effectiveFrom}`}>
                      Change<span className="govuk-visually-hidden"> the version {describe(v, i)}</span>
                    </a>
                    {versions.length > 1 && (
                      <>
                        {" "}
                        <DeleteVersionButton partnership={partnership.code} effectiveFrom={v.effectiveFrom} label={describe(v, i)} />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {editing ? (
        <p className="govuk-body">
          <a className="govuk-link" href={base}>
            Add a new version instead
          </a>
        </p>
      ) : null}
      <VersionForm
        key={`${editing?.effectiveFrom ?? "new"} ${versions.map((v) => v.effectiveFrom).join(" ")}`}
        partnership={partnership.code}
        labelling={partnership.quarterLabels as QuarterLabelling}
        initial={editing ? valuesOf(editing) : current ? { ...valuesOf(current), effectiveFrom: "" } : null}
        replaces={editing?.effectiveFrom}
        first={editing ? editing === versions[0] : versions.length === 0}
      />
    </>
  );
}
