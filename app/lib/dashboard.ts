/**
 * What every dashboard page starts from: the signed-in person, their tRPC caller, the partnerships
 * they may see, and the filters read from the URL (so a link reproduces the view and the back
 * button works). A filter that cannot be used is named in an error summary and replaced by its default.
 */
import { connection } from "next/server";
import { notFound, redirect } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { getDb } from "@/db/client";
import { recordPartnershipsFor } from "@/server/access/recordScope";
import { z } from "zod";
import { getAuth, requirePrincipal } from "@/app/lib/session";
import { partnershipsFor, type Principal } from "@/server/access/permissions";
import { isIsoDate, todayInLondon, type IsoDate } from "@/server/calendar/dates";
import { addQuarters, lastCompleteQuarter, quarterLabel, quarterRange, type Quarter, type QuarterLabelling } from "@/server/calendar/quarters";
import type { PartnershipSummary } from "@/server/partnerships/list";
import { serverCaller } from "@/wiring/trpc/caller";

export type SearchParams = Record<string, string | string[] | undefined>;

export interface Filters {
  partnerships: string[];
  /** The last quarter of the view. */
  quarter: Quarter;
  /** The first quarter of trends (8 quarters ending at `quarter` unless chosen). */
  from: Quarter;
  agency?: string;
  theme?: string;
  asOf?: IsoDate;
}

export interface FilterError {
  field: string;
  message: string;
}

const QUARTER = /^\d{4}-Q[1-4]$/;
const CODE = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/);

const many = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The quarters anyone can choose: the last 20 complete ones. */
export function quarterChoices(asOf: IsoDate = todayInLondon()): Quarter[] {
  const last = lastCompleteQuarter(asOf);
  return quarterRange(addQuarters(last, -19), last).reverse();
}

export function parseFilters(params: SearchParams, visible: PartnershipSummary[], options: { trendQuarters?: number } = {}): { filters: Filters; errors: FilterError[] } {
  const errors: FilterError[] = [];
  const requested = many(params.partnership);
  const known = requested.filter((code) => visible.some((p) => p.code === code));
  for (const code of requested.filter((c) => !known.includes(c))) {
    errors.push({ field: "partnership", message: `You cannot see a partnership with the code "${code}". Choose one of yours below.` });
  }
  const partnerships = known.length ? [...new Set(known)] : visible.slice(0, 1).map((p) => p.code);

  const rawAsOf = one(params.asOf);
  let asOf: IsoDate | undefined;
  if (rawAsOf) {
    if (isIsoDate(rawAsOf)) asOf = rawAsOf;
    else errors.push({ field: "asOf", message: `"${rawAsOf}" is not a date written as YYYY-MM-DD; figures are as of today.` });
  }
  const latest = lastCompleteQuarter(asOf ?? todayInLondon());
  const rawQuarter = one(params.quarter);
  let quarter = latest;
  if (rawQuarter) {
    if (!QUARTER.test(rawQuarter)) errors.push({ field: "quarter", message: `"${rawQuarter}" is not a quarter written like 2025-Q3; showing ${latest}.` });
    else if (rawQuarter > latest) errors.push({ field: "quarter", message: `${rawQuarter} has not ended yet; showing ${latest}, the last complete quarter.` });
    else quarter = rawQuarter;
  }
  const rawFrom = one(params.from);
  let from = addQuarters(quarter, -((options.trendQuarters ?? 8) - 1));
  if (rawFrom) {
    if (!QUARTER.test(rawFrom)) errors.push({ field: "from", message: `"${rawFrom}" is not a quarter written like 2025-Q3.` });
    else if (rawFrom > quarter) errors.push({ field: "from", message: `The first quarter (${rawFrom}) is after the last (${quarter}).` });
    else if (quarterRange(rawFrom, quarter).length > 20) errors.push({ field: "from", message: "Choose a run of at most 20 quarters." });
    else from = rawFrom;
  }
  const agency = one(params.agency) || undefined;
  if (agency && !CODE.safeParse(agency).success) errors.push({ field: "agency", message: `"${agency}" is not an agency code.` });
  const theme = one(params.theme) || undefined;
  if (theme && !CODE.safeParse(theme).success) errors.push({ field: "theme", message: `"${theme}" is not a theme code.` });
  return {
    filters: {
      partnerships,
      quarter,
      from,
      agency: agency && CODE.safeParse(agency).success ? agency : undefined,
      theme: theme && CODE.safeParse(theme).success ? theme : undefined,
      asOf,
    },
    errors,
  };
}

/** The URL of a page with these filters (defaults left out, so links stay short). */
export function hrefWith(path: string, filters: Partial<Filters>, extra: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const p of filters.partnerships ?? []) query.append("partnership", p);
  if (filters.quarter) query.set("quarter", filters.quarter);
  if (filters.from) query.set("from", filters.from);
  if (filters.agency) query.set("agency", filters.agency);
  if (filters.theme) query.set("theme", filters.theme);
  if (filters.asOf) query.set("asOf", filters.asOf);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) query.set(k, v);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export interface Dashboard {
  principal: Principal;
  caller: Awaited<ReturnType<typeof serverCaller>>;
  partnerships: PartnershipSummary[];
  filters: Filters;
  errors: FilterError[];
  /** Agencies of the chosen partnerships, and every theme: the filter form's choices. */
  agencies: Array<{ code: string; name: string }>;
  themes: Array<{ code: string; label: string }>;
  agencyName: (code: string) => string;
  themeLabel: (code: string) => string;
  /** A quarter as the first chosen partnership labels it (calendar, or financial year). */
  label: (quarter: Quarter) => string;
  labelling: QuarterLabelling;
}

/**
 * Opens a page of partnership figures. People without figures (agency leads, uploaders) are sent
 * to what they can see: their agency's profile, or their uploads.
 */
export async function openDashboard(path: string, params: SearchParams, options: { trendQuarters?: number; records?: boolean } = {}): Promise<Dashboard> {
  // Figures come from the database at request time, never from the build.
  await connection();
  const principal = await requirePrincipal(path);
  const caller = await serverCaller(principal, await getAuth());
  const visible = options.records ? await recordPartnershipsFor(await getDb(), principal) : partnershipsFor(principal, "figures.read");
  if (visible !== "all" && visible.length === 0) {
    if (options.records) notFound();
    const lead = principal.grants.find((g) => g.role === "agency_lead" && g.agency);
    redirect(lead ? `/agencies/${encodeURIComponent(lead.agency!)}` : "/uploads");
  }
  const partnerships = (await caller.partnerships.list()).filter((p) => visible === "all" || visible.includes(p.code));
  const { filters, errors } = parseFilters(params, partnerships, options);
  const [allAgencies, themes] = [await caller.agencies.list(), await caller.themes.list()];
  const agencies = allAgencies.filter((a) => a.partnerships.some((p) => filters.partnerships.includes(p)));
  if (filters.agency && !agencies.some((a) => a.code.toLowerCase() === filters.agency!.toLowerCase())) {
    errors.push({ field: "agency", message: `No agency with the code "${filters.agency}" works in the partnerships chosen; showing all agencies.` });
    filters.agency = undefined;
  }
  if (filters.theme && !themes.some((t) => t.code === filters.theme)) {
    errors.push({ field: "theme", message: `There is no theme with the code "${filters.theme}"; showing all themes.` });
    filters.theme = undefined;
  }
  const labelling = partnerships.find((p) => p.code === filters.partnerships[0])?.quarterLabels ?? "calendar";
  const names = new Map(allAgencies.map((a) => [a.code, a.name]));
  const labels = new Map(themes.map((t) => [t.code, t.label]));
  return {
    principal,
    caller,
    partnerships,
    filters,
    errors,
    agencies,
    themes,
    agencyName: (code) => names.get(code) ?? code,
    themeLabel: (code) => labels.get(code) ?? code,
    labelling,
    label: (q) => quarterLabel(q, labelling),
  };
}

/** Filters as the tRPC procedures take them. */
export function figureInput(filters: Filters) {
  return { partnerships: filters.partnerships, from: filters.from, to: filters.quarter, asOf: filters.asOf, agency: filters.agency, theme: filters.theme };
}

/**
 * A read the person may not make, or of something that does not exist, shows the not-found page:
 * record-level pages never confirm that a record exists to someone who may not see it (the refusal
 * is in the audit log).
 */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "FORBIDDEN" || error.code === "NOT_FOUND")) notFound();
    throw error;
  }
}
