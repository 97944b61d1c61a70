/**
 * What every dashboard page starts from: the signed-in person, their tRPC caller, the partnerships
 * they may see, and the filters read from the URL (so a link reproduces the view and the back
 * button works). A filter that cannot be used is named in an error summary and replaced by its default.
 */
import { notFound, redirect } from "next/navigation";
import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import { capabilitiesFor, noneIn, type Caller, type PageCapabilities } from "@/app/lib/capabilities";
import type { Principal } from "@/server/access/permissions";
import { CALENDAR_FIRST_YEAR, todayInLondon, type IsoDate } from "@/server/calendar/dates";
import { addQuarters, lastCompleteQuarter, quarterLabel, quarterPeriod, quarterRange, type Quarter, type QuarterLabelling } from "@/server/calendar/quarters";
import { agencyCodeSchema, asOfSchema, partnershipCodeSchema, quarterInputSchema, quarterRunProblem, themeCodeSchema } from "@/server/inputs";
import type { PartnershipSummary } from "@/server/partnerships/list";
import type { ProcedureVersion } from "@/server/reference/procedureVersions";
import { inForceText, isFirstVersion, stagesText, totalLimitText, versionsInForceOver } from "@/reports/procedureText";

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

/** The first quarter of the warehouse's calendar: no view starts before it. */
const FIRST_QUARTER: Quarter = `${CALENDAR_FIRST_YEAR}-Q1`;

const many = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The shared schema's verdict on a URL value: the value, or the schema's own message naming it. */
function check<T>(schema: z.ZodType<T>, value: string): { ok: true; value: T } | { ok: false; message: string } {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? `"${value}" cannot be used` };
}

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/** The quarters anyone can choose: the last 20 complete ones. */
export function quarterChoices(asOf: IsoDate = todayInLondon()): Quarter[] {
  const last = lastCompleteQuarter(asOf);
  return quarterRange(addQuarters(last, -19), last)
    .filter((q) => q >= FIRST_QUARTER)
    .reverse();
}

export function parseFilters(params: SearchParams, visible: PartnershipSummary[], options: { trendQuarters?: number } = {}): { filters: Filters; errors: FilterError[] } {
  const errors: FilterError[] = [];
  const known: string[] = [];
  for (const code of many(params.partnership)) {
    const parsed = check(partnershipCodeSchema, code);
    if (!parsed.ok) errors.push({ field: "partnership", message: `${sentence(parsed.message)}. Choose one of yours below.` });
    else if (!visible.some((p) => p.code === parsed.value)) errors.push({ field: "partnership", message: `You cannot see a partnership with the code "${code}". Choose one of yours below.` });
    else known.push(parsed.value);
  }
  const partnerships = known.length ? [...new Set(known)] : visible.slice(0, 1).map((p) => p.code);

  const rawAsOf = one(params.asOf);
  let asOf: IsoDate | undefined;
  if (rawAsOf) {
    const parsed = check(asOfSchema, rawAsOf);
    if (!parsed.ok) errors.push({ field: "asOf", message: `${sentence(parsed.message)}; figures are as of today.` });
    else if (lastCompleteQuarter(parsed.value) < FIRST_QUARTER) {
      errors.push({ field: "asOf", message: `No quarter of the warehouse's calendar (from ${FIRST_QUARTER}) had ended by ${rawAsOf}; figures are as of today.` });
    } else asOf = parsed.value;
  }
  const latest = lastCompleteQuarter(asOf ?? todayInLondon());
  const rawQuarter = one(params.quarter);
  let quarter = latest;
  if (rawQuarter) {
    const parsed = check(quarterInputSchema, rawQuarter);
    if (!parsed.ok) errors.push({ field: "quarter", message: `${sentence(parsed.message)}; showing ${latest}.` });
    else if (parsed.value > latest) errors.push({ field: "quarter", message: `${rawQuarter} has not ended yet; showing ${latest}, the last complete quarter.` });
    else quarter = parsed.value;
  }
  const rawFrom = one(params.from);
  let from = addQuarters(quarter, -((options.trendQuarters ?? 8) - 1));
  if (from < FIRST_QUARTER) from = FIRST_QUARTER;
  if (rawFrom) {
    const parsed = check(quarterInputSchema, rawFrom);
    const problem = parsed.ok ? quarterRunProblem(parsed.value, quarter) : parsed.message;
    if (problem) errors.push({ field: "from", message: `${sentence(problem)}.` });
    else from = rawFrom;
  }
  const code = (field: "agency" | "theme", schema: z.ZodType<string>) => {
    const raw = one(params[field]);
    if (!raw) return undefined;
    const parsed = check(schema, raw);
    if (parsed.ok) return parsed.value;
    errors.push({ field, message: `${sentence(parsed.message)}; showing all.` });
    return undefined;
  };
  const agency = code("agency", agencyCodeSchema);
  const theme = code("theme", themeCodeSchema);
  return { filters: { partnerships, quarter, from, agency, theme, asOf }, errors };
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
  caller: Caller;
  /** What the person may do (the navigation reads the same object). */
  capabilities: PageCapabilities;
  /** The partnerships the person may choose; none on a new deployment (the page says what to do). */
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
 * to what they can see: their agency's profile, or their uploads. With no partnership set up yet
 * the dashboard has no partnerships: the page shows <NothingSetUp> instead of figures.
 */
export async function openDashboard(path: string, params: SearchParams, options: { trendQuarters?: number; records?: boolean } = {}): Promise<Dashboard> {
  const capabilities = await capabilitiesFor(path);
  const { principal, caller } = capabilities;
  const visible = options.records ? capabilities.recordPartnerships : capabilities.figurePartnerships;
  if (noneIn(visible)) {
    if (options.records) notFound();
    const lead = capabilities.ledAgencies[0];
    redirect(lead ? `/agencies/${encodeURIComponent(lead)}` : "/uploads");
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
    capabilities,
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

/** A procedure version as the pages list it. */
export interface VersionRow {
  partnership: string;
  name: string;
  /** "throughout", "until 16 November 2025", "from 17 November 2025", … */
  inForce: string;
  /** "1. Practitioners: 2 working days; 2. Managers: 14 calendar days". */
  stages: string;
  /** "20 working days from the concern", or "none". */
  totalLimit: string;
}

/**
 * The procedure versions of the chosen partnerships in force on any day of the view's quarters
 * (from the first quarter's start to the last's end): what judged the escalations the page counts.
 */
export function versionRows(versions: ProcedureVersion[], filters: Pick<Filters, "from" | "quarter">): VersionRow[] {
  return versionsInForceOver(versions, quarterPeriod(filters.from).start, quarterPeriod(filters.quarter).end).map((v) => ({
    partnership: v.partnershipCode,
    name: v.name,
    inForce: inForceText(v, isFirstVersion(versions, v)),
    stages: stagesText(v),
    totalLimit: totalLimitText(v.totalLimitWorkingDays),
  }));
}
