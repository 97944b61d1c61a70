import type { Metadata } from "next";
import { ErrorSummary } from "@/app/components/ErrorSummary";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { calendarDateSchema, filterTextSchema } from "@/server/inputs";

export const metadata: Metadata = { title: "Audit log" };

const dateTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", dateStyle: "medium", timeStyle: "medium" });
const OUTCOMES = ["success", "refused", "failure"] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const capabilities = await capabilitiesFor("/audit");
  const params = await searchParams;
  const errors: Array<{ field: string; message: string }> = [];
  const raw = (key: string) => (typeof params[key] === "string" && params[key] !== "" ? (params[key] as string) : undefined);
  // Each filter through the shared schemas: a value that cannot be used is named in the error summary and left out.
  const checked = (key: string, schema: typeof calendarDateSchema, what: string) => {
    const value = raw(key);
    if (value === undefined) return undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const message = parsed.error.issues[0]?.message ?? "cannot be used";
    // The text schemas' messages name the field already; the date schema's name only the value.
    errors.push({ field: key, message: `${message.startsWith(what) ? "" : `${what}: `}${message}; not used.` });
    return undefined;
  };
  // The same limits as the audit.list procedure's.
  const text = (key: string, what: string, max: number) => checked(key, filterTextSchema(what, max), what);
  const rawOutcome = raw("outcome");
  const outcome = OUTCOMES.find((o) => o === rawOutcome);
  if (rawOutcome && !outcome) errors.push({ field: "outcome", message: `Outcome: "${rawOutcome.slice(0, 60)}" is not one of ${OUTCOMES.join(", ")}; not used.` });
  const filter = {
    action: text("action", "The action", 60),
    actor: text("actor", "Who", 200),
    outcome,
    from: checked("from", calendarDateSchema, "From"),
    to: checked("to", calendarDateSchema, "To"),
  };
  if (filter.from && filter.to && filter.from > filter.to) {
    errors.push({ field: "from", message: `From (${filter.from}) is after To (${filter.to}); neither is used.` });
    filter.from = filter.to = undefined;
  }
  if (!capabilities.mayReadAudit) {
    return (
      <>
        <h1>Audit log</h1>
        <p className="lede">Only the partnership&apos;s business managers (admins) can read the audit log.</p>
      </>
    );
  }
  const rows = await capabilities.caller.audit.list({ ...filter, limit: 200 });
  const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === "string"));
  return (
    <>
      <h1>Audit log</h1>
      <p className="lede">Who did what, when: sign-ins, uploads, undos, reference data, users, record-level reads and exports, and refusals.</p>
      <ErrorSummary errors={errors} />
      <form method="get" action="/audit" className="panel filters">
        <div className="form-group">
          <label htmlFor="filter-action">Action starts with</label>
          <input id="filter-action" name="action" className="input" defaultValue={filter.action ?? ""} />
        </div>
        <div className="form-group">
          <label htmlFor="filter-actor">Who (part of the email)</label>
          <input id="filter-actor" name="actor" className="input" defaultValue={filter.actor ?? ""} />
        </div>
        <div className="form-group">
          <label htmlFor="filter-outcome">Outcome</label>
          <select id="filter-outcome" name="outcome" defaultValue={outcome ?? ""}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="filter-from">From (YYYY-MM-DD)</label>
          <input id="filter-from" name="from" className="input" defaultValue={filter.from ?? ""} />
        </div>
        <div className="form-group">
          <label htmlFor="filter-to">To (YYYY-MM-DD)</label>
          <input id="filter-to" name="to" className="input" defaultValue={filter.to ?? ""} />
        </div>
        <button type="submit" className="button">
          Filter
        </button>{" "}
        <a href={`/api/audit/export?${query}`} download>
          Download these entries as CSV
        </a>
      </form>
      <table className="history">
        <caption>The 200 most recent matching entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">Scope and details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-audit={r.id}>
              <td>{dateTime.format(r.at)}</td>
              <td>{r.actor}</td>
              <td>{r.action}</td>
              <td>{r.outcome}</td>
              <td>
                <code>{JSON.stringify({ ...r.scope, ...r.details })}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
