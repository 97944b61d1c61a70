/**
 * The warehouse's reference data written out in the shape `config load` takes (IMPORT-FORMAT.md,
 * "Reference data"), so that export → load → export gives the same bytes: partnerships with their
 * procedure versions, closure days, targets and themes; agencies with their partnerships and
 * aliases; and the bank-holiday corrections, worked out against the built-in list.
 *
 * A shared top-level procedure (demo.json's "hips") is not kept as such once loaded: each
 * partnership holds its own versions, so the export writes each partnership's `procedures` out
 * (docs/adr/0022-procedure-versions.md).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { englandAndWalesBankHolidays } from "../calendar/bankHolidays";
import { CALENDAR_START } from "../calendar/dates";
import { TARGET_MEASURES } from "./config";
import { listProcedureVersions, type ProcedureVersion } from "./procedureVersions";

export const EXPORT_COMMENT =
  "Reference data exported from the warehouse (npm run cli -- config export): partnerships with their procedure versions, " +
  "agencies and bank-holiday corrections. Load with: npm run cli -- config load FILE";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface ReferenceExport {
  /** The document, as `config load` takes it. */
  document: { [key: string]: Json };
  /** The document as the file's text (a final line break included). */
  text: string;
  /** What `config load` would refuse in this document, and why (an unfinished set-up), in plain English. */
  warnings: string[];
  partnerships: number;
  procedureVersions: number;
  agencies: number;
}

/** Text order by code point, the same on every database (collations differ between servers). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function versionJson(v: ProcedureVersion, first: boolean): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  // The first version is in force from the calendar's first day whatever it names; left out when it names that day.
  if (!(first && v.effectiveFrom === CALENDAR_START)) out.effectiveFrom = v.effectiveFrom;
  out.name = v.name;
  out.stageWord = v.stageWord;
  out.stages = v.stages.map((s) => ({
    number: s.number,
    name: s.name,
    ...(s.level === null ? {} : { level: s.level }),
    ...(s.limitUnit === "calendar" ? { limitCalendarDays: s.limitDays } : { limitWorkingDays: s.limitDays }),
  }));
  out.learningWithinMonths = v.learningWithinMonths;
  if (v.totalLimitWorkingDays !== null) out.totalLimitWorkingDays = v.totalLimitWorkingDays;
  return out;
}

/** Everything `config load` would write, read back from the warehouse. */
export async function exportReferenceData(db: Db): Promise<ReferenceExport> {
  const partnerships = await queryRows<{
    id: number;
    code: string;
    name: string;
    chair_follow_up_limit_working_days: number;
    quarter_labels: string;
    disclosure_profile: string;
    targets: Record<string, number> | null;
  }>(
    db,
    sql`select id, code, name, chair_follow_up_limit_working_days, quarter_labels, disclosure_profile, targets from partnerships`,
  );
  const closures = await queryRows<{ partnership_id: number; date: string }>(db, sql`select partnership_id, date::text as date from closure_days`);
  const themes = await queryRows<{ partnership_id: number; code: string; label: string; synonyms: string[] }>(
    db,
    sql`select partnership_id, code, label, synonyms from themes where partnership_id is not null`,
  );
  const agencies = await queryRows<{ id: number; code: string; name: string; sector: string }>(db, sql`select id, code, name, sector from agencies`);
  const memberships = await queryRows<{ agency_id: number; code: string }>(
    db,
    sql`select m.agency_id, p.code from agency_partnerships m join partnerships p on p.id = m.partnership_id`,
  );
  const aliases = await queryRows<{ agency_id: number; alias: string }>(db, sql`select agency_id, alias from agency_aliases`);
  const holidays = await queryRows<{ date: string; name: string }>(db, sql`select date::text as date, name from bank_holidays`);
  const versions = await listProcedureVersions(db);

  const warnings: string[] = [];
  const grouped = <T extends Record<string, unknown>>(rows: T[], key: keyof T) => {
    const map = new Map<unknown, T[]>();
    for (const row of rows) map.set(row[key], [...(map.get(row[key]) ?? []), row]);
    return map;
  };
  const closuresOf = grouped(closures, "partnership_id");
  const themesOf = grouped(themes, "partnership_id");
  const versionsOf = grouped(versions as unknown as Array<ProcedureVersion & Record<string, unknown>>, "partnershipId");
  const membershipsOf = grouped(memberships, "agency_id");
  const aliasesOf = grouped(aliases, "agency_id");

  const partnershipJson = [...partnerships]
    .sort((a, b) => byText(a.code, b.code))
    .map((p) => {
      const own = [...(versionsOf.get(p.id) ?? [])].sort((a, b) => byText(a.effectiveFrom, b.effectiveFrom));
      if (own.length === 0) warnings.push(`partnership ${p.code} has no procedure version yet: config load refuses this file until one is added`);
      const targets: { [key: string]: Json } = {};
      const stored = p.targets ?? {};
      for (const key of [...TARGET_MEASURES, ...Object.keys(stored).filter((k) => !(TARGET_MEASURES as readonly string[]).includes(k)).sort(byText)]) {
        if (stored[key] !== undefined) targets[key] = stored[key];
      }
      return {
        code: p.code,
        name: p.name,
        procedures: own.map((v, i) => versionJson(v, i === 0)),
        chairFollowUpLimitWorkingDays: p.chair_follow_up_limit_working_days,
        closureDays: (closuresOf.get(p.id) ?? []).map((c) => c.date).sort(byText),
        quarterLabels: p.quarter_labels,
        disclosureProfile: p.disclosure_profile,
        targets,
        themes: [...(themesOf.get(p.id) ?? [])]
          .sort((a, b) => byText(a.code, b.code))
          .map((t) => ({ code: t.code, label: t.label, synonyms: t.synonyms })),
      };
    });

  const agencyJson = [...agencies]
    .sort((a, b) => byText(a.code, b.code))
    .map((a) => {
      const of = (membershipsOf.get(a.id) ?? []).map((m) => m.code).sort(byText);
      if (of.length === 0) warnings.push(`agency ${a.code} belongs to no partnership: config load refuses this file until it is given one`);
      return {
        code: a.code,
        name: a.name,
        sector: a.sector,
        partnerships: of,
        aliases: (aliasesOf.get(a.id) ?? []).map((x) => x.alias).sort(byText),
      };
    });

  // Corrections: what the table holds that the built-in (published or computed) list does not, and the reverse.
  const builtIn = new Map(englandAndWalesBankHolidays().map((h) => [h.date, h.name]));
  const held = new Set(holidays.map((h) => h.date));
  const bankHolidays = {
    add: holidays
      .filter((h) => builtIn.get(h.date) !== h.name)
      .sort((a, b) => byText(a.date, b.date))
      .map((h) => ({ date: h.date, name: h.name })),
    remove: [...builtIn.keys()].filter((date) => !held.has(date)).sort(byText),
  };

  const document = { $comment: EXPORT_COMMENT, partnerships: partnershipJson, agencies: agencyJson, bankHolidays };
  return {
    document,
    text: `${formatJson(document)}\n`,
    warnings,
    partnerships: partnershipJson.length,
    procedureVersions: versions.length,
    agencies: agencyJson.length,
  };
}

const LINE_WIDTH = 140;

const isScalar = (value: Json) => value === null || typeof value !== "object";

/** A list of scalars, or an object whose values are scalars or lists of scalars: written on one line when it fits. */
function isFlat(value: Json): boolean {
  if (isScalar(value)) return true;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.every((c) => isScalar(c) || (Array.isArray(c) && c.every(isScalar)));
}

function oneLine(value: Json): string {
  if (isScalar(value)) return JSON.stringify(value);
  if (Array.isArray(value)) return value.length ? `[${value.map(oneLine).join(", ")}]` : "[]";
  const entries = Object.entries(value);
  return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`).join(", ")} }` : "{}";
}

/**
 * JSON as people write reference data by hand (db/reference/demo.json): a stage on one line, and a
 * list of dates or a short agency where it fits; anything else spread over lines, two spaces deep. Deterministic, so
 * the same data gives the same bytes.
 */
export function formatJson(value: Json, indent = 0, keyWidth = 0): string {
  const compact = oneLine(value);
  if (isScalar(value) || (isFlat(value) && indent + keyWidth + compact.length <= LINE_WIDTH)) return compact;
  // A record of scalars (a stage, a bank holiday) stays on one line however long its names.
  if (!Array.isArray(value) && Object.values(value).every(isScalar)) return compact;
  const pad = " ".repeat(indent + 2);
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => `${pad}${formatJson(v, indent + 2)}`).join(",\n")}\n${" ".repeat(indent)}]`;
  }
  const entries = Object.entries(value).map(([k, v]) => {
    const key = `${JSON.stringify(k)}: `;
    return `${pad}${key}${formatJson(v, indent + 2, key.length)}`;
  });
  return `{\n${entries.join(",\n")}\n${" ".repeat(indent)}}`;
}
