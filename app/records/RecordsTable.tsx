"use client";
/**
 * The records table: loads the escalations in scope once as Arrow IPC, then filters, sorts and pages
 * them in the browser (tens of thousands of rows stay responsive). Sort, filters and page are kept in
 * the URL, so the back button and a shared link return to the same view.
 */
import { tableFromIPC } from "apache-arrow";
import { useEffect, useMemo, useState } from "react";
import type { EscalationRecordRow } from "@/server/records/escalationRecords";

interface Columns {
  partnership: string[];
  id: number[];
  recordRef: string[];
  childPseudonym: Array<string | null>;
  uploadedBy: string[];
  raisingAgency: string[];
  receivingAgency: string[];
  concernAroseOn: string[];
  stageReached: number[];
  stageCount: number[];
  status: string[];
  closedOn: Array<string | null>;
  themes: string[];
  workingDaysOpen: number[];
  workingDaysOverdue: number[];
}

type SortKey = "concernAroseOn" | "recordRef" | "raisingAgency" | "receivingAgency" | "stageReached" | "status" | "workingDaysOpen" | "workingDaysOverdue";
const PAGE_SIZE = 50;
const HEADERS: Array<{ key: SortKey; label: string; numeric?: boolean }> = [
  { key: "recordRef", label: "Escalation" },
  { key: "concernAroseOn", label: "Concern arose" },
  { key: "raisingAgency", label: "Raised by" },
  { key: "receivingAgency", label: "Raised with" },
  { key: "stageReached", label: "Stage reached", numeric: true },
  { key: "status", label: "Status" },
  { key: "workingDaysOpen", label: "Working days open", numeric: true },
  { key: "workingDaysOverdue", label: "Working days overdue", numeric: true },
];

const UK_DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const ukDate = (iso: string) => UK_DATE.format(new Date(`${iso}T00:00:00Z`));

function readState() {
  const q = new URLSearchParams(window.location.search);
  return {
    sort: (q.get("sort") as SortKey | null) ?? "concernAroseOn",
    descending: q.get("order") !== "asc",
    status: q.get("status") ?? "",
    overdueOnly: q.get("overdue") === "1",
    search: q.get("search") ?? "",
    page: Math.max(0, Number(q.get("page") ?? "1") - 1) || 0,
  };
}

const isDefault = (s: ReturnType<typeof readState>) => s.sort === "concernAroseOn" && s.descending && !s.status && !s.overdueOnly && !s.search && s.page === 0;

function rowOf(columns: Columns, i: number): EscalationRecordRow {
  return {
    partnership: columns.partnership[i]!,
    id: columns.id[i]!,
    recordRef: columns.recordRef[i]!,
    childPseudonym: columns.childPseudonym[i] ?? null,
    uploadedBy: columns.uploadedBy[i]!,
    raisingAgency: columns.raisingAgency[i]!,
    receivingAgency: columns.receivingAgency[i]!,
    concernAroseOn: columns.concernAroseOn[i]!,
    stageReached: columns.stageReached[i]!,
    stageCount: columns.stageCount[i]!,
    status: columns.status[i]!,
    closedOn: columns.closedOn[i] ?? null,
    themes: columns.themes[i]!,
    workingDaysOpen: columns.workingDaysOpen[i]!,
    workingDaysOverdue: columns.workingDaysOverdue[i]!,
  };
}

/**
 * `initial` is the first page as the server rendered it (newest first): shown at once, while the whole
 * list loads as Arrow for sorting, filtering and paging.
 */
export function RecordsTable({ src, asOf, initial }: { src: string; asOf?: string; initial: { total: number; rows: EscalationRecordRow[] } }) {
  const [columns, setColumns] = useState<Columns | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [state, setState] = useState(() => ({ sort: "concernAroseOn" as SortKey, descending: true, status: "", overdueOnly: false, search: "", page: 0 }));

  useEffect(() => {
    setState(readState());
    const onPop = () => setState(readState());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const response = await fetch(src, { credentials: "same-origin" });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        throw new Error(body.error ?? `The records could not be loaded (${response.status}).`);
      }
      const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
      const column = <T,>(name: keyof Columns) => Array.from(table.getChild(name) ?? []) as T[];
      const loaded: Columns = {
        partnership: column("partnership"),
        id: column("id"),
        recordRef: column("recordRef"),
        childPseudonym: column("childPseudonym"),
        uploadedBy: column("uploadedBy"),
        raisingAgency: column("raisingAgency"),
        receivingAgency: column("receivingAgency"),
        concernAroseOn: column("concernAroseOn"),
        stageReached: column("stageReached"),
        stageCount: column("stageCount"),
        status: column("status"),
        closedOn: column("closedOn"),
        themes: column("themes"),
        workingDaysOpen: column("workingDaysOpen"),
        workingDaysOverdue: column("workingDaysOverdue"),
      };
      if (!cancelled) setColumns(loaded);
    })().catch((e: unknown) => {
      if (!cancelled) setError(e instanceof Error ? e.message : String(e));
    });
    return () => {
      cancelled = true;
    };
  }, [src]);

  /** Typing in the search box replaces the history entry; every other change adds one (the back button undoes it). */
  function update(change: Partial<typeof state>, replace = false) {
    const next = { ...state, ...change, page: change.page ?? 0 };
    setState(next);
    const q = new URLSearchParams(window.location.search);
    const put = (k: string, v: string | null) => (v === null || v === "" ? q.delete(k) : q.set(k, v));
    put("sort", next.sort === "concernAroseOn" ? null : next.sort);
    put("order", next.descending ? null : "asc");
    put("status", next.status);
    put("overdue", next.overdueOnly ? "1" : null);
    put("search", next.search.trim());
    put("page", next.page ? String(next.page + 1) : null);
    window.history[replace ? "replaceState" : "pushState"](null, "", `${window.location.pathname}?${q.toString()}`);
  }

  const order = useMemo(() => {
    if (!columns) return [];
    const needle = state.search.trim().toLowerCase();
    const indexes: number[] = [];
    for (let i = 0; i < columns.id.length; i++) {
      if (state.status && columns.status[i] !== state.status) continue;
      if (state.overdueOnly && !(columns.workingDaysOverdue[i]! > 0)) continue;
      if (
        needle &&
        !columns.recordRef[i]!.toLowerCase().includes(needle) &&
        !columns.raisingAgency[i]!.toLowerCase().includes(needle) &&
        !columns.receivingAgency[i]!.toLowerCase().includes(needle) &&
        !(columns.childPseudonym[i] ?? "").toLowerCase().startsWith(needle)
      )
        continue;
      indexes.push(i);
    }
    // The server's order is the default (newest concern first): only another choice needs a sort.
    if (state.sort === "concernAroseOn" && state.descending) return indexes;
    const values = columns[state.sort] as Array<string | number>;
    const direction = state.descending ? -1 : 1;
    indexes.sort((a, b) => {
      const x = values[a]!;
      const y = values[b]!;
      const compared = x < y ? -1 : x > y ? 1 : columns.id[a]! - columns.id[b]!;
      return compared * direction;
    });
    return indexes;
  }, [columns, state.search, state.status, state.overdueOnly, state.sort, state.descending]);

  if (error) {
    return (
      <div className="govuk-error-summary" role="alert">
        <h2 className="govuk-error-summary__title">The records could not be shown</h2>
        <div className="govuk-error-summary__body">
          <p className="govuk-body">{error}</p>
        </div>
      </div>
    );
  }
  const pages = Math.max(1, Math.ceil((columns ? order.length : initial.total) / PAGE_SIZE));
  const page = Math.min(state.page, pages - 1);
  const total = columns?.id.length ?? initial.total;
  // Until the whole list has loaded, the server's first page stands in for the default view.
  const shown: EscalationRecordRow[] = columns
    ? order.slice(page * PAGE_SIZE, page * PAGE_SIZE + PAGE_SIZE).map((i) => rowOf(columns, i))
    : isDefault(state)
      ? initial.rows
      : [];
  const withAsOf = (href: string) => (asOf ? `${href}?asOf=${asOf}` : href);

  return (
    <div>
      <div className="app-filters app-filters__row" role="search" aria-label="Narrow the records">
        <div className="govuk-form-group">
          <label className="govuk-label govuk-label--s" htmlFor="records-search">
            Escalation, agency or child pseudonym
          </label>
          <input className="govuk-input govuk-input--width-20" id="records-search" type="search" value={state.search} onChange={(e) => update({ search: e.target.value }, true)} />
        </div>
        <div className="govuk-form-group">
          <label className="govuk-label govuk-label--s" htmlFor="records-status">
            Status
          </label>
          <select className="govuk-select" id="records-status" value={state.status} onChange={(e) => update({ status: e.target.value })}>
            <option value="">Any</option>
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
            <option value="withdrawn">Withdrawn</option>
          </select>
        </div>
        <div className="govuk-form-group">
          <div className="govuk-checkboxes govuk-checkboxes--small">
            <div className="govuk-checkboxes__item">
              <input className="govuk-checkboxes__input" id="records-overdue" type="checkbox" checked={state.overdueOnly} onChange={(e) => update({ overdueOnly: e.target.checked })} />
              <label className="govuk-label govuk-checkboxes__label" htmlFor="records-overdue">
                Overdue only
              </label>
            </div>
          </div>
        </div>
      </div>

      <p className="govuk-body" aria-live="polite" id="records-status-line">
        {columns === null
          ? initial.total === 0
            ? "No escalations in scope."
            : `${initial.total.toLocaleString("en-GB")} escalations; showing the newest ${initial.rows.length}. Loading all of them for sorting and filtering…`
          : order.length === 0
            ? `None of the ${total.toLocaleString("en-GB")} escalations in scope match.`
            : `${order.length.toLocaleString("en-GB")} of ${total.toLocaleString("en-GB")} escalations; showing ${(page * PAGE_SIZE + 1).toLocaleString("en-GB")} to ${(page * PAGE_SIZE + shown.length).toLocaleString("en-GB")}.`}
      </p>

      <div className="app-table-scroll">
        <table className="govuk-table" id="records" data-rows={columns ? order.length : undefined}>
          <caption className="govuk-table__caption govuk-table__caption--m">Escalations, newest concern first unless sorted otherwise</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {HEADERS.map((h) => {
                const active = state.sort === h.key;
                return (
                  <th
                    key={h.key}
                    scope="col"
                    className={`govuk-table__header${h.numeric ? " govuk-table__header--numeric" : ""}`}
                    aria-sort={active ? (state.descending ? "descending" : "ascending") : "none"}
                  >
                    <button
                      type="button"
                      className="app-nav__button"
                      onClick={() => update({ sort: h.key, descending: active ? !state.descending : h.key === "concernAroseOn" || !!h.numeric })}
                    >
                      {h.label}
                      <span className="govuk-visually-hidden">, sort {active && !state.descending ? "descending" : "ascending"}</span>
                    </button>
                  </th>
                );
              })}
              <th scope="col" className="govuk-table__header">
                Child (pseudonym)
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {shown.map((row) => (
              <tr className="govuk-table__row" key={`${row.partnership}-${row.id}`}>
                <th scope="row" className="govuk-table__header">
                  <a className="govuk-link" href={withAsOf(`/records/${row.partnership}/${row.id}`)}>
                    {row.recordRef}
                  </a>{" "}
                  <span className="govuk-hint govuk-!-display-inline">({row.uploadedBy})</span>
                </th>
                <td className="govuk-table__cell">{ukDate(row.concernAroseOn)}</td>
                <td className="govuk-table__cell">{row.raisingAgency}</td>
                <td className="govuk-table__cell">{row.receivingAgency}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">
                  {row.stageReached} of {row.stageCount}
                </td>
                <td className="govuk-table__cell">
                  {row.status}
                  {row.closedOn ? ` ${ukDate(row.closedOn)}` : ""}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{row.workingDaysOpen}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">
                  {row.workingDaysOverdue > 0 ? <strong className="govuk-tag govuk-tag--red">{row.workingDaysOverdue} over</strong> : "0"}
                </td>
                <td className="govuk-table__cell">
                  <code>{row.childPseudonym ?? "none"}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <nav className="app-pager" aria-label="Pages of records">
        <button type="button" className="govuk-button govuk-button--secondary" disabled={!columns || page === 0} onClick={() => update({ page: page - 1 })}>
          Previous page
        </button>
        <span className="govuk-body govuk-!-margin-bottom-0">
          Page {page + 1} of {pages}
        </span>
        <button type="button" className="govuk-button govuk-button--secondary" disabled={!columns || page >= pages - 1} onClick={() => update({ page: page + 1 })}>
          Next page
        </button>
      </nav>
    </div>
  );
}
