import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Chart, DataTable } from "@/app/components/Chart";
import { QuarterSelect } from "@/app/components/Choices";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { formatFigure } from "@/app/components/Figures";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { orNotFound, quarterChoices, type SearchParams } from "@/app/lib/dashboard";
import { lineChart } from "@/reports/charts";
import { EVIDENCE_PROMPTS } from "@/reports/evidence";
import { formatUkDate, todayInLondon } from "@/server/calendar/dates";
import { lastCompleteQuarter, quarterLabel } from "@/server/calendar/quarters";
import { agencyCodeSchema, asOfSchema } from "@/server/inputs";
import { percent } from "@/server/metrics/percent";

export const metadata: Metadata = { title: "Agency profile" };

export default async function AgencyPage({ params, searchParams }: { params: Promise<{ code: string }>; searchParams: Promise<SearchParams> }) {
  const { code } = await params;
  const query = await searchParams;
  const capabilities = await capabilitiesFor(`/agencies/${encodeURIComponent(code)}`);
  const { caller } = capabilities;
  // A code no agency could have is answered as any agency the person may not see: not found.
  if (!agencyCodeSchema.safeParse(code).success) notFound();
  const errors: Array<{ field: string; message: string }> = [];
  let asOf: string | undefined;
  if (typeof query.asOf === "string" && query.asOf !== "") {
    const parsed = asOfSchema.safeParse(query.asOf);
    if (parsed.success && quarterChoices(parsed.data).length > 0) asOf = parsed.data;
    else errors.push({ field: "asOf", message: `${parsed.error?.issues[0]?.message ?? `No quarter of the warehouse's calendar had ended by ${query.asOf}`}; figures are as of today.` });
  }
  const choices = quarterChoices(asOf);
  let quarter = typeof query.quarter === "string" ? query.quarter : undefined;
  if (quarter && !choices.includes(quarter)) {
    errors.push({ field: "quarter", message: `"${quarter}" is not a complete quarter you can choose; showing ${choices[0]}.` });
    quarter = undefined;
  }
  const to = quarter ?? lastCompleteQuarter(asOf ?? todayInLondon());
  const profile = await orNotFound(caller.agencies.profile({ agency: code, quarters: 8, to, asOf }));
  const labelling = (await caller.partnerships.list()).find((p) => p.code === profile.partnerships[0])?.quarterLabels ?? "calendar";
  const label = (q: string) => quarterLabel(q, labelling);
  const themes = new Map((await caller.themes.list()).map((t) => [t.code, t.label]));
  const mayReadRecords = await capabilities.mayReadRecords({ agency: profile.agency.code });
  const mayWriteEvidence = await capabilities.mayWriteEvidence(profile.agency.code);
  const returns = await capabilities.evidenceReturns(profile.agency.code);
  const mayIssue = await capabilities.mayIssueReports(profile.partnerships);
  const i = profile.quarters.length - 1;
  const [raiser, receiver, whole] = [profile.asRaiser[i]!, profile.asReceiver[i]!, profile.partnership[i]!];
  const q = label(to);
  const rows: Array<[string, string, string, string]> = [
    ["Escalations raised in the quarter", formatFigure(raiser.raised), formatFigure(receiver.raised), formatFigure(whole.raised)],
    ["Closed in the quarter", formatFigure(raiser.closed), formatFigure(receiver.closed), formatFigure(whole.closed)],
    ["Open at the end of the quarter", formatFigure(raiser.openAtPeriodEnd), formatFigure(receiver.openAtPeriodEnd), formatFigure(whole.openAtPeriodEnd)],
    [
      "Resolved at the lowest level",
      formatFigure(raiser.resolvedAtLowestLevelPct, "percent"),
      formatFigure(receiver.resolvedAtLowestLevelPct, "percent"),
      formatFigure(whole.resolvedAtLowestLevelPct, "percent"),
    ],
    [
      "Median working days to close",
      formatFigure(raiser.medianWorkingDaysToClose),
      formatFigure(receiver.medianWorkingDaysToClose),
      formatFigure(whole.medianWorkingDaysToClose),
    ],
    ["Overdue on the as-of date", "not applicable", formatFigure(profile.overdueAsReceiver), formatFigure(profile.overdueInPartnership)],
  ];
  const share = percent(raiser.raised, whole.raised);
  const dissent = profile.dissent[i]!;
  const partnershipDissent = profile.partnershipDissent[i]!;

  return (
    <>
      <span className="govuk-caption-l">{profile.partnerships.join(", ")}</span>
      <h1 className="govuk-heading-xl">
        {profile.agency.name} <span className="govuk-hint govuk-!-display-inline">({profile.agency.code})</span>
      </h1>
      <p className="govuk-body" data-scope="period">
        {q}, as the records stood on {formatUkDate(profile.asOf)}. {profile.agency.name} raised{" "}
        <strong data-figure="agency-raised">{raiser.raised}</strong> of the partnership&apos;s {whole.raised} escalations
        {share === null ? "" : ` (${share}%)`} and received <strong data-figure="agency-received">{receiver.raised}</strong>.{" "}
        <span className="app-exact">
          <strong className="govuk-tag govuk-tag--yellow">Exact figures</strong> for your own use: not for publication.
        </span>
      </p>
      <ErrorSummary errors={errors} />
      <form method="get" className="app-filters" aria-label="Filters" autoComplete="off">
        <div className="app-filters__row">
          <QuarterSelect id="filter-quarter" name="quarter" text="Quarter" quarters={choices} chosen={to} label={label} />
          <button type="submit" className="govuk-button govuk-!-margin-bottom-3">
            Show
          </button>
        </div>
      </form>

      <DataTable
        id="agency-comparison"
        caption={`${profile.agency.name} as raiser and as receiver, beside the partnership, ${q}`}
        columns={["Figure", "As the agency raising", "As the agency receiving", "Whole partnership"]}
        rows={rows}
      />

      <Chart
        id="agency-trend"
        title="Escalations raised and received, by quarter"
        summary={`Escalations ${profile.agency.name} raised and received each quarter, ${label(profile.quarters[0]!)} to ${q}.`}
        glossary="byAgency"
        svg={lineChart({
          series: [
            { name: "Raised", points: profile.asRaiser.map((r) => ({ x: label(r.quarter), y: r.raised })) },
            { name: "Received", points: profile.asReceiver.map((r) => ({ x: label(r.quarter), y: r.raised })) },
          ],
          yLabel: "Escalations",
          description: `Line chart: escalations ${profile.agency.name} raised and received by quarter.`,
        })}
        table={{
          caption: `Escalations ${profile.agency.name} raised and received, and the partnership's, by quarter`,
          columns: ["Quarter", "Raised", "Received", "Partnership raised", "Received and resolved at the lowest level"],
          rows: profile.quarters.map((quarterCode, k) => [
            label(quarterCode),
            profile.asRaiser[k]!.raised,
            profile.asReceiver[k]!.raised,
            profile.partnership[k]!.raised,
            formatFigure(profile.asReceiver[k]!.resolvedAtLowestLevelPct, "percent"),
          ]),
        }}
      />

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <DataTable
            id="received-themes"
            caption={`Escalations received in ${q} by theme`}
            columns={["Theme", "Escalations"]}
            rows={Object.entries(profile.received.themes).map(([t, n]) => [themes.get(t) ?? t, n])}
          />
        </div>
        <div className="govuk-grid-column-one-half">
          <DataTable
            id="received-stages"
            caption={`Escalations received in ${q} by stage reached`}
            columns={["Stage reached", "Escalations"]}
            rows={Object.entries(profile.received.stageReached).map(([k, n]) => [`Stage ${k}`, n])}
          />
        </div>
      </div>

      <h2 className="govuk-heading-l">Conference dissent</h2>
      <p className="govuk-body">
        {profile.agency.name} dissented from <strong data-figure="agency-dissent">{dissent.count}</strong> of the {partnershipDissent.count}{" "}
        conference decisions disputed in {q}; the chair followed up {formatFigure(dissent.chairFollowUpWithinLimitPct, "percent")} of them within the
        limit.
      </p>
      {mayReadRecords ? (
        <p className="govuk-body">
          <a className="govuk-link" href={`/records?agency=${encodeURIComponent(profile.agency.code)}`}>
            {profile.agency.name}&apos;s escalations, one by one
          </a>
        </p>
      ) : null}

      <h2 className="govuk-heading-l" id="evidence">
        Self-assessment evidence
      </h2>
      <p className="govuk-body">
        The evidence of how {profile.agency.name} uses the escalation procedure, for its{" "}
        {profile.agency.sector === "education" ? "Section 175/157 (Education Act 2002)" : "Section 11 (Children Act 2004)"} self-assessment, with the
        agency&apos;s own answers.
      </p>
      {returns.length === 0 ? (
        <p className="govuk-body">No evidence return yet.</p>
      ) : (
        <ul className="govuk-list govuk-list--spaced" id="evidence-returns">
          {returns.map((r) => (
            <li key={r.id}>
              Return {r.id}: {label(r.from)} to {label(r.to)}, made by {r.createdBy} on {formatUkDate(r.createdAt.toISOString().slice(0, 10))} —{" "}
              <a className="govuk-link" href={`/api/evidence/${r.id}?format=pdf`} download>
                PDF
              </a>{" "}
              ·{" "}
              <a className="govuk-link" href={`/api/evidence/${r.id}?format=docx`} download>
                Word
              </a>
              {mayIssue ? (
                <form method="post" action={`/api/evidence/${r.id}/issue`} className="govuk-!-display-inline govuk-!-margin-left-3">
                  <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                    Issue return {r.id}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {mayWriteEvidence ? (
        <form method="post" action="/api/evidence" className="app-filters" aria-label="Make an evidence return" autoComplete="off">
          <h3 className="govuk-heading-m">Make an evidence return</h3>
          <input type="hidden" name="agency" value={profile.agency.code} />
          <div className="app-filters__row">
            <QuarterSelect id="evidence-from" name="from" text="From quarter" quarters={choices} chosen={profile.quarters.at(-4) ?? to} label={label} />
            <QuarterSelect id="evidence-to" name="to" text="To quarter" quarters={choices} chosen={to} label={label} />
          </div>
          {EVIDENCE_PROMPTS.map((p) => (
            <div className="govuk-form-group" key={p.key}>
              <label className="govuk-label govuk-label--s" htmlFor={`evidence-${p.key}`}>
                {p.question}
              </label>
              <textarea className="govuk-textarea" id={`evidence-${p.key}`} name={p.key} rows={3} />
            </div>
          ))}
          <button type="submit" className="govuk-button">
            Store the evidence return
          </button>
        </form>
      ) : null}
    </>
  );
}