import { connection } from "next/server";
import { formatUkDate } from "@/server/calendar/dates";
import { getAuth, requirePrincipal } from "@/app/lib/session";
import { partnershipsFor } from "@/server/access/permissions";
import { glossaryEntry } from "@/server/metrics/glossary";
import { serverCaller } from "@/server/trpc/caller";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Figures come from the database at request time, never from the build.
  await connection();
  const params = await searchParams;
  const principal = await requirePrincipal("/");
  const caller = await serverCaller(principal, await getAuth());
  const visible = partnershipsFor(principal, "figures.read");
  const partnerships = (await caller.partnerships.list()).filter((p) => visible === "all" || visible.includes(p.code));

  if (visible !== "all" && visible.length === 0) {
    return (
      <>
        <h1>Welcome, {principal.name}</h1>
        <p className="lede">
          Your account is for your agency&apos;s uploads. <a href="/uploads">Upload a log or check your uploads</a>.
        </p>
      </>
    );
  }

  if (partnerships.length === 0) {
    return (
      <>
        <h1>No partnerships yet</h1>
        <p className="lede">
          Load your reference data first: <code>npm run cli -- config load FILE</code>.
        </p>
      </>
    );
  }

  const requested = typeof params.partnership === "string" ? params.partnership : undefined;
  const chosen = partnerships.find((p) => p.code === requested) ?? partnerships[0]!;
  const figures = await caller.escalations.quarterly({ partnership: chosen.code, quarters: 8 });
  const busiest = Math.max(1, ...figures.quarters.map((q) => Math.max(q.raised, q.openAtPeriodEnd)));

  return (
    <>
      <p className="caption">{chosen.procedureName}</p>
      <h1>{chosen.name}</h1>

      <form method="get" action="/" className="form-group">
        <label htmlFor="partnership">Partnership</label>
        <select id="partnership" name="partnership" defaultValue={chosen.code}>
          {partnerships.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          Show
        </button>
      </form>

      <ul className="summary-cards">
        <li className="summary-card">
          <span className="summary-card__value" data-figure="open-at-as-of">
            {figures.openAtAsOf}
          </span>
          escalations open on {formatUkDate(figures.asOf)}
        </li>
        <li className="summary-card">
          <span className="summary-card__value" data-figure="raised-last-quarter">
            {figures.quarters.at(-1)?.raised ?? 0}
          </span>
          raised in {figures.quarters.at(-1)?.label}
        </li>
      </ul>

      <table>
        <caption>Escalations raised and open, by quarter</caption>
        <thead>
          <tr>
            <th scope="col">Quarter</th>
            <th scope="col" className="numeric">
              Raised
            </th>
            <th scope="col" className="numeric">
              Open at end of quarter
            </th>
          </tr>
        </thead>
        <tbody>
          {figures.quarters.map((q) => (
            <tr key={q.quarter} data-quarter={q.quarter}>
              <th scope="row">
                {q.label}
                <span className="hint">
                  {" "}
                  ({formatUkDate(q.start)} to {formatUkDate(q.end)})
                </span>
              </th>
              <td className="numeric" data-figure="raised">
                {q.raised}
                <span className="bar" style={{ width: `${Math.round((q.raised / busiest) * 80)}px` }} aria-hidden="true" />
              </td>
              <td className="numeric" data-figure="open-at-period-end">
                {q.openAtPeriodEnd}
                <span className="bar" style={{ width: `${Math.round((q.openAtPeriodEnd / busiest) * 80)}px` }} aria-hidden="true" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="inset">
        <p>
          <strong>Raised</strong>: {glossaryEntry("raised").definition} <strong>Open at end of quarter</strong>:{" "}
          {glossaryEntry("openAtPeriodEnd").definition} <a href="/glossary">How every figure is counted</a>
        </p>
      </div>
    </>
  );
}
