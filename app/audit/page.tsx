import type { Metadata } from "next";
import { connection } from "next/server";
import { getAuth, requirePrincipal } from "@/app/lib/session";
import { getDb } from "@/db/client";
import { isAllowed } from "@/server/access/permissions";
import { serverCaller } from "@/wiring/trpc/caller";

export const metadata: Metadata = { title: "Audit log" };

const dateTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", dateStyle: "medium", timeStyle: "medium" });
const OUTCOMES = ["success", "refused", "failure"] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const principal = await requirePrincipal("/audit");
  const params = await searchParams;
  const text = (key: string) => (typeof params[key] === "string" && params[key] !== "" ? (params[key] as string) : undefined);
  const date = (key: string) => (text(key) && /^\d{4}-\d{2}-\d{2}$/.test(text(key)!) ? text(key) : undefined);
  const outcome = OUTCOMES.find((o) => o === text("outcome"));
  const filter = { action: text("action"), actor: text("actor"), outcome, from: date("from"), to: date("to") };
  if (!(await isAllowed(await getDb(), principal, "audit.read"))) {
    return (
      <>
        <h1>Audit log</h1>
        <p className="lede">Only the partnership&apos;s business managers (admins) can read the audit log.</p>
      </>
    );
  }
  const rows = await (await serverCaller(principal, await getAuth())).audit.list({ ...filter, limit: 200 });
  const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === "string"));
  return (
    <>
      <h1>Audit log</h1>
      <p className="lede">Who did what, when: sign-ins, uploads, undos, reference data, users, record-level reads and exports, and refusals.</p>
      <form method="get" action="/audit" className="panel filters">
        <div className="form-group">
          <label htmlFor="action">Action starts with</label>
          <input id="action" name="action" className="input" defaultValue={filter.action ?? ""} />
        </div>
        <div className="form-group">
          <label htmlFor="actor">Who (part of the email)</label>
          <input id="actor" name="actor" className="input" defaultValue={filter.actor ?? ""} />
        </div>
        <div className="form-group">
          <label htmlFor="outcome">Outcome</label>
          <select id="outcome" name="outcome" defaultValue={outcome ?? ""}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="from">From (YYYY-MM-DD)</label>
          <input id="from" name="from" className="input" defaultValue={filter.from ?? ""} />
        </div>
        <div className="form-group">
          <label htmlFor="to">To (YYYY-MM-DD)</label>
          <input id="to" name="to" className="input" defaultValue={filter.to ?? ""} />
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
