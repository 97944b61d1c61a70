import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { orNotFound } from "@/app/lib/dashboard";
import { formatUkDate } from "@/server/calendar/dates";
import { asOfSchema, partnershipCodeSchema, writtenIdSchema } from "@/server/inputs";
import type { StageState } from "@/server/records/escalationRecords";
import { BAR_WIDTH, recordView } from "../../timeline";

export const metadata: Metadata = { title: "Escalation record" };

const STATE: Record<StageState, { text: string; tag: string }> = {
  within: { text: "Within the limit", tag: "govuk-tag--green" },
  late: { text: "Over the limit", tag: "govuk-tag--orange" },
  running: { text: "In progress, within the limit", tag: "govuk-tag--blue" },
  overdue: { text: "Overdue", tag: "govuk-tag--red" },
  skipped: { text: "Skipped (no date)", tag: "govuk-tag--grey" },
  not_reached: { text: "Not reached", tag: "govuk-tag--grey" },
};

export default async function RecordPage({ params, searchParams }: { params: Promise<{ partnership: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { partnership, id } = await params;
  const query = await searchParams;
  const { caller } = await capabilitiesFor(`/records/${encodeURIComponent(partnership)}/${encodeURIComponent(id)}`);
  // An id or partnership no record could have is answered as a record the person may not see: not found.
  const recordId = writtenIdSchema("an escalation record").safeParse(id);
  if (!recordId.success || !partnershipCodeSchema.safeParse(partnership).success) notFound();
  const errors: Array<{ field: string; message: string }> = [];
  let asOf: string | undefined;
  if (typeof query.asOf === "string" && query.asOf !== "") {
    const parsed = asOfSchema.safeParse(query.asOf);
    if (parsed.success) asOf = parsed.data;
    else errors.push({ field: "asOf", message: `${parsed.error.issues[0]?.message ?? "That date cannot be used"}; the record is shown as it stands today.` });
  }
  const record = await orNotFound(caller.records.get({ partnership, id: recordId.data, asOf }));
  const themes = new Map((await caller.themes.list()).map((t) => [t.code, t.label]));
  const view = recordView(record);
  const row = new Map(view.rows.map((r) => [r.number, r]));

  return (
    <>
      <span className="govuk-caption-l">{record.partnershipName}</span>
      <h1 className="govuk-heading-xl">Escalation {record.recordRef}</h1>
      <ErrorSummary errors={errors} />
      <form method="get" className="app-filters" aria-label="As of" autoComplete="off">
        <div className="app-filters__row">
          <div className="govuk-form-group">
            <label className="govuk-label govuk-label--s" htmlFor="filter-asOf">
              As it stood on (YYYY-MM-DD)
            </label>
            <input className="govuk-input govuk-input--width-10" id="filter-asOf" name="asOf" defaultValue={asOf ?? ""} inputMode="numeric" />
          </div>
          <button type="submit" className="govuk-button govuk-!-margin-bottom-3">
            Show
          </button>
        </div>
      </form>
      <p className="govuk-body">
        As it stood on {formatUkDate(record.asOf)}. Uploaded by {record.uploadedBy} (version {record.version}). Your opening this record is recorded in
        the audit log.
      </p>
      <dl className="govuk-summary-list">
        {[
          ["Raised by", `${record.raisingAgency.name} (${record.raisingAgency.code})`],
          ["Raised with", `${record.receivingAgency.name} (${record.receivingAgency.code})`],
          ["Concern arose", formatUkDate(record.concernAroseOn)],
          ["Themes", record.themes.map((t) => themes.get(t) ?? t).join("; ")],
          ["Status", record.closedOn ? `${record.status}, ${formatUkDate(record.closedOn)}` : record.status],
          ["Judged by procedure version", view.version],
          ["Stage reached", `${record.stageReached} of ${record.stages.length}`],
          ...(view.totalLimit ? [["Total limit", view.totalLimit]] : []),
          ["Learning shared", record.learningDisseminatedOn ? formatUkDate(record.learningDisseminatedOn) : "not recorded"],
          ["Child (pseudonym)", record.childPseudonym ?? "not given"],
        ].map(([key, value]) => (
          <div className="govuk-summary-list__row" key={key}>
            <dt className="govuk-summary-list__key">{key}</dt>
            <dd className="govuk-summary-list__value">{value}</dd>
          </div>
        ))}
      </dl>

      <h2 className="govuk-heading-l">Stage timeline</h2>
      <p className="govuk-body">
        The stages and their limits are those of the procedure version in force on the day the concern arose. Each stage&apos;s clock starts at the
        latest earlier date recorded (the previous stage, or the concern), and is counted in the stage&apos;s own unit: the partnership&apos;s working
        days, or calendar days where the version sets the limit in calendar days. <a className="govuk-link" href="/glossary#timescale">How this is counted</a>
      </p>
      <table className="govuk-table" id="stage-timeline">
        <caption className="govuk-table__caption govuk-table__caption--m">Stages against their limits, each in its own unit</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Stage</th>
            <th scope="col" className="govuk-table__header">Clock started</th>
            <th scope="col" className="govuk-table__header">Completed</th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">Days (limit)</th>
            <th scope="col" className="govuk-table__header">Against the limit</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {record.stages.map((s) => (
            <tr className="govuk-table__row" key={s.number} data-stage={s.number} data-state={s.state}>
              <th scope="row" className="govuk-table__header">
                {s.number}. {s.name}
              </th>
              <td className="govuk-table__cell">{s.clockStartedOn ? formatUkDate(s.clockStartedOn) : "–"}</td>
              <td className="govuk-table__cell">{s.on ? formatUkDate(s.on) : s.state === "running" || s.state === "overdue" ? "not yet" : "–"}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">
                {row.get(s.number)!.daysAgainstLimit}
                <svg width={BAR_WIDTH} height="12" aria-hidden="true" focusable="false" style={{ marginLeft: 8, verticalAlign: "middle" }}>
                  <rect x="0" y="2" width={row.get(s.number)!.bar} height="8" fill={s.state === "late" || s.state === "overdue" ? "#D55E00" : "#0072B2"} />
                  <line x1={row.get(s.number)!.limitMark} x2={row.get(s.number)!.limitMark} y1="0" y2="12" stroke="#0b0c0c" strokeWidth="2" />
                </svg>
              </td>
              <td className="govuk-table__cell">
                <strong className={`govuk-tag ${STATE[s.state].tag}`}>{STATE[s.state].text}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="govuk-body">
        <a className="govuk-link" href="/records">
          Back to the records
        </a>
      </p>
    </>
  );
}
