/**
 * A partnership's procedure versions, as its business manager revises them: save one (new or
 * edited), delete one, and before saving, preview what the change re-judges — the board report's
 * figures of the quarters it affects, computed before and after the change inside a transaction that
 * is then rolled back (METRICS.md, "Procedure versions, limit units and a total limit").
 */
import { sql } from "drizzle-orm";
import { queryRows, withTransaction, type Db } from "../../../db/client";
import type { Principal } from "../../access/permissions";
import { CALENDAR_START, formatUkDate, todayInLondon, type IsoDate } from "../../calendar/dates";
import { lastCompleteQuarter, quarterOf, quarterRange, type Quarter } from "../../calendar/quarters";
import { InvalidRequestError, NotFoundError } from "../../errors";
import { getBoardReportRun, type BoardReportRun } from "../../metrics/boardReport";
import { listProcedureVersions, versionsInForceSql, type ProcedureVersion } from "../procedureVersions";
import { ReferenceDataError } from "../referenceDataError";
import { refuseRecordsBeyondTheirVersion, replaceProcedureVersions, type VersionDefinition } from "../versionStore";
import { asRefusal, changeAudited, managedPartnership, parseInput, RefusedChangeError } from "./common";
import {
  deleteVersionInput,
  previewVersionInput,
  saveVersionInput,
  type DeleteVersionInput,
  type PreviewVersionInput,
  type SaveVersionInput,
  type VersionValues,
} from "./schemas";

/** The most quarters a preview compares (the most recent ones the change affects). */
export const PREVIEW_MAX_QUARTERS = 12;

const definitionOf = (v: ProcedureVersion | VersionValues): VersionDefinition => ({
  effectiveFrom: v.effectiveFrom,
  name: v.name,
  stageWord: v.stageWord,
  learningWithinMonths: v.learningWithinMonths,
  totalLimitWorkingDays: v.totalLimitWorkingDays,
  stages: v.stages.map((s) => ({ number: s.number, name: s.name, level: s.level, limitDays: s.limitDays, limitUnit: s.limitUnit })),
});

/** The partnership's versions with `version` saved in place of `replaces` (or added), oldest first. */
function withVersion(code: string, current: ProcedureVersion[], version: VersionValues, replaces: IsoDate | undefined): VersionDefinition[] {
  if (replaces !== undefined && !current.some((v) => v.effectiveFrom === replaces)) {
    throw new InvalidRequestError(`replaces: ${code} has no procedure version from ${replaces} to change (value: "${replaces}").`);
  }
  const clash = current.find((v) => v.effectiveFrom === version.effectiveFrom && v.effectiveFrom !== replaces);
  if (clash) {
    throw new InvalidRequestError(
      `version.effectiveFrom: ${code} already has a version from ${version.effectiveFrom} ("${clash.name}") (value: "${version.effectiveFrom}"). Edit that version, or choose another date.`,
    );
  }
  return [...current.filter((v) => v.effectiveFrom !== replaces).map(definitionOf), definitionOf(version)].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

export interface SavedVersions {
  /** False when the versions already read exactly so. */
  changed: boolean;
  /** The partnership's versions now, oldest first. */
  versions: ProcedureVersion[];
}

/**
 * Saves a procedure version (new, or edited in place of `replaces`). Refused, with nothing changed,
 * when loaded escalations would be left with a stage dated beyond the stages of the version judging them.
 */
export async function saveVersion(db: Db, principal: Principal, input: SaveVersionInput): Promise<SavedVersions> {
  const value = parseInput(saveVersionInput, input);
  const partnership = await managedPartnership(db, principal, value.partnership);
  const change = {
    actor: principal.email,
    action: "reference.version.save",
    scope: { partnerships: [partnership.code] },
    details: { effectiveFrom: value.version.effectiveFrom, replaces: value.replaces ?? null, name: value.version.name, stages: value.version.stages.length },
  };
  return changeAudited(db, change, async (tx) => {
    const current = await listProcedureVersions(tx, [partnership.code]);
    const changed = await replaceProcedureVersions(tx, partnership.id, withVersion(partnership.code, current, value.version, value.replaces));
    await refuseRecordsBeyondTheirVersion(tx, [partnership.id]);
    return { result: { changed, versions: await listProcedureVersions(tx, [partnership.code]) }, details: { changed } };
  });
}

/**
 * Deletes a procedure version: the one before it then stays in force until the next (or the next
 * takes over from the beginning, when the first is deleted). A partnership's only version cannot be
 * deleted, and a deletion that would leave records beyond their version is refused.
 */
export async function deleteVersion(db: Db, principal: Principal, input: DeleteVersionInput): Promise<SavedVersions> {
  const value = parseInput(deleteVersionInput, input);
  const partnership = await managedPartnership(db, principal, value.partnership);
  const change = { actor: principal.email, action: "reference.version.delete", scope: { partnerships: [partnership.code] }, details: { effectiveFrom: value.effectiveFrom } };
  const current = await listProcedureVersions(db, [partnership.code]);
  const deleted = current.find((v) => v.effectiveFrom === value.effectiveFrom);
  if (!deleted) throw new NotFoundError(`${partnership.code} has no procedure version from ${value.effectiveFrom}.`);
  return changeAudited(db, { ...change, details: { ...change.details, name: deleted.name } }, async (tx) => {
    const versions = await listProcedureVersions(tx, [partnership.code]);
    if (versions.length === 1) {
      throw new RefusedChangeError(
        `"${deleted.name}" is ${partnership.code}'s only procedure version: every escalation is judged by one, so it cannot be deleted. Change it instead.`,
      );
    }
    await replaceProcedureVersions(tx, partnership.id, versions.filter((v) => v.effectiveFrom !== value.effectiveFrom).map(definitionOf));
    await refuseRecordsBeyondTheirVersion(tx, [partnership.id]);
    return { result: { changed: true, versions: await listProcedureVersions(tx, [partnership.code]) } };
  });
}

export interface FigureChange {
  quarter: Quarter;
  /** What the figure is, in words ("Stage 1 completed within its limit"). */
  figure: string;
  /** Its path in the board report's JSON, e.g. "escalations.timescale.0.withinLimit" (timescale entries are stages 1, 2, … in order). */
  key: string;
  before: number | string | null;
  after: number | string | null;
}

export interface VersionPreview {
  /** The escalations the saved version would judge: those whose concern arose while it is in force. */
  applies: {
    escalations: number;
    /** The first day it is in force (the calendar's first day for a partnership's first version). */
    since: IsoDate;
    /** The day the next version takes over, or null. */
    until: IsoDate | null;
  };
  /** The as-of date the figures were compared at. */
  asOf: IsoDate;
  /** The quarters compared, oldest first: from the change's first quarter to the last complete one, at most PREVIEW_MAX_QUARTERS. */
  quarters: Quarter[];
  /** Said when the quarters compared are not every quarter the change affects (or there are none yet). */
  note?: string;
  /** Every figure of those quarters that the change alters. */
  changes: FigureChange[];
  /** Present when saving would be refused: the message. Figures are then not compared. */
  refusal?: string;
}

/** Thrown to roll the preview's transaction back, carrying what it found. */
class PreviewRolledBack extends Error {
  constructor(readonly preview: VersionPreview) {
    super("preview rolled back");
  }
}

/**
 * What saving the version would re-judge, computed: the board report run of the quarters it affects,
 * before and after the change, both inside one transaction that is rolled back (so nothing changes,
 * on either database), and every figure that differs.
 */
export async function previewVersion(db: Db, principal: Principal, input: PreviewVersionInput): Promise<VersionPreview> {
  const value = parseInput(previewVersionInput, input);
  const partnership = await managedPartnership(db, principal, value.partnership);
  const asOf = value.asOf ?? todayInLondon();
  const version = value.version;
  try {
    await withTransaction(db, async (tx) => {
      // One snapshot for both readings, so that an upload committed meanwhile is not reported as the change.
      await tx.execute(sql`set transaction isolation level repeatable read`);
      const current = await listProcedureVersions(tx, [partnership.code]);
      const next = withVersion(partnership.code, current, version, value.replaces);
      if (current.length === 0) {
        // A first procedure: nothing was judged before it (no escalation loads without one), so no figure changes.
        throw new PreviewRolledBack({
          applies: { escalations: 0, since: CALENDAR_START, until: null },
          asOf,
          quarters: [],
          note: `${partnership.name} has no procedure yet, so no escalation has been judged: this first version will judge every escalation uploaded from now on.`,
          changes: [],
        });
      }
      const { quarters, note } = await quartersAffected(tx, partnership.id, current, next, version.effectiveFrom, value.replaces, asOf);
      const run = (at: Db) => getBoardReportRun(at, { partnerships: [partnership.code], quarter: quarters.at(-1)!, asOf, quarters: quarters.length, spc: false });
      const before = quarters.length ? await run(tx) : null;

      await replaceProcedureVersions(tx, partnership.id, next);
      const applies = await escalationsJudgedBy(tx, partnership.id, version.effectiveFrom);
      let refusal: string | undefined;
      try {
        await refuseRecordsBeyondTheirVersion(tx, [partnership.id]);
      } catch (error) {
        if (!(error instanceof ReferenceDataError)) throw error;
        refusal = asRefusal(error)!.message;
      }
      const after = before && !refusal ? await run(tx) : null;
      const changes = before && after ? figureChanges(before, after, { stageWord: version.stageWord, asOf }) : [];
      throw new PreviewRolledBack({ applies, asOf, quarters, ...(note ? { note } : {}), changes, ...(refusal ? { refusal } : {}) });
    });
  } catch (error) {
    if (error instanceof PreviewRolledBack) return error.preview;
    throw error;
  }
  throw new Error("unreachable: the preview's transaction always rolls back");
}

/**
 * The quarters whose figures the change can alter: from the quarter of the earliest concern date it
 * re-judges (a first version judges everything before the next, so from the partnership's earliest
 * escalation) to the last complete quarter on the as-of date; the most recent PREVIEW_MAX_QUARTERS.
 */
async function quartersAffected(
  tx: Db,
  partnershipId: number,
  current: ProcedureVersion[],
  next: VersionDefinition[],
  effectiveFrom: IsoDate,
  replaces: IsoDate | undefined,
  asOf: IsoDate,
): Promise<{ quarters: Quarter[]; note?: string }> {
  let from = replaces !== undefined && replaces < effectiveFrom ? replaces : effectiveFrom;
  // Nothing before the partnership's earliest escalation can change; a first version judges everything up to then.
  const [row] = await queryRows<{ d: string | null }>(tx, sql`select min(concern_arose_on)::text as d from escalations where partnership_id = ${partnershipId}`);
  const earliest = row?.d ?? null;
  const judgesTheBeginning = next[0]!.effectiveFrom === effectiveFrom || (replaces !== undefined && current[0]?.effectiveFrom === replaces);
  if (earliest && (judgesTheBeginning || earliest > from)) from = earliest;
  const first = quarterOf(from < CALENDAR_START ? CALENDAR_START : from);
  const last = lastCompleteQuarter(asOf);
  if (first > last) return { quarters: [], note: `No quarter the change affects has ended by ${formatUkDate(asOf)}, so there are no figures to compare yet.` };
  const all = quarterRange(first, last);
  if (all.length <= PREVIEW_MAX_QUARTERS) return { quarters: all };
  const quarters = all.slice(-PREVIEW_MAX_QUARTERS);
  return {
    quarters,
    note: `The change affects ${all.length} quarters (${first} to ${last}); the ${PREVIEW_MAX_QUARTERS} most recent (${quarters[0]} to ${last}) were compared. Earlier quarters' figures may change too.`,
  };
}

async function escalationsJudgedBy(tx: Db, partnershipId: number, effectiveFrom: IsoDate): Promise<VersionPreview["applies"]> {
  const [row] = await queryRows<{ n: number; first: boolean; until: string | null }>(
    tx,
    sql`with v as (${versionsInForceSql(sql`${partnershipId}`)})
        select (select count(*)::int from escalations e where e.partnership_id = v.partnership_id
                  and e.concern_arose_on >= v.in_force_from and e.concern_arose_on < v.in_force_to) as n,
               v.in_force_from = '-infinity'::date as first,
               case when v.in_force_to = 'infinity'::date then null else v.in_force_to::text end as until
        from v where v.effective_from = ${effectiveFrom}::date`,
  );
  return { escalations: row!.n, since: row!.first ? CALENDAR_START : effectiveFrom, until: row!.until };
}

type Leaf = number | string | null;

/** Every leaf of a JSON value by its dotted path (arrays by position). */
function flatten(value: unknown, path: string, out: Map<string, Leaf>): Map<string, Leaf> {
  if (value === null || value === undefined) out.set(path, null);
  else if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${path}.${i}`, out));
  else if (typeof value === "object") for (const [k, v] of Object.entries(value)) flatten(v, `${path}.${k}`, out);
  else if (typeof value === "boolean") out.set(path, value ? "yes" : "no");
  else out.set(path, value as number | string);
  return out;
}

/** The escalation figures of each quarter of a run; the last quarter's are the report's (with the state at A). */
function escalationFiguresByQuarter(run: BoardReportRun): Map<Quarter, Map<string, Leaf>> {
  return new Map(
    run.quarters.map((q, i) => [q.quarter, flatten(i === run.quarters.length - 1 ? run.report.escalations : q.escalations, "escalations", new Map())] as const),
  );
}

function figureChanges(before: BoardReportRun, after: BoardReportRun, words: { stageWord: string; asOf: IsoDate }): FigureChange[] {
  const b = escalationFiguresByQuarter(before);
  const a = escalationFiguresByQuarter(after);
  const changes: FigureChange[] = [];
  for (const [quarter, afterFigures] of a) {
    const beforeFigures = b.get(quarter) ?? new Map<string, Leaf>();
    // In the order the figures stand after the change, then any the change removes.
    const keys = [...new Set([...afterFigures.keys(), ...beforeFigures.keys()])];
    for (const key of keys) {
      // A stage's number is what the entry is about, not a figure.
      if (/^escalations\.timescale\.\d+\.stage$/.test(key)) continue;
      const limitsVary = /\.limitsVary$/.test(key);
      const was = beforeFigures.get(key) ?? (limitsVary ? "no" : null);
      const now = afterFigures.get(key) ?? (limitsVary ? "no" : null);
      if (was !== now) changes.push({ quarter, figure: figureLabel(key, words), key, before: was, after: now });
    }
  }
  return changes;
}

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** A figure's path in words, as the board report and the escalations page name it. */
export function figureLabel(key: string, words: { stageWord: string; asOf: IsoDate }): string {
  const parts = key.split(".").slice(1);
  const on = formatUkDate(words.asOf);
  const word = words.stageWord;
  const [head, second, third] = parts;
  const simple: Record<string, string> = {
    raised: "Escalations raised",
    closed: "Escalations closed",
    resolved: "Escalations resolved",
    withdrawn: "Escalations withdrawn",
    openAtPeriodEnd: "Open at the quarter's end",
    resolvedAtLowestLevelPct: "Resolved at the lowest level (%)",
    medianWorkingDaysToClose: "Median working days to close",
    overdueAtAsOf: `Overdue on ${on}`,
    unresolvedAfterFinalStage: `Unresolved after the final ${word} on ${on}`,
    learningWithinOneMonthPct: "Learning disseminated in time (%)",
  };
  if (parts.length === 1 && head && simple[head]) return simple[head];
  if (head === "stageReached" && second) return `Reached ${word} ${second}`;
  if (head === "timescale" && second !== undefined) {
    const stage = `${capital(word)} ${Number(second) + 1}`;
    const field: Record<string, string> = {
      completed: `${stage} completed`,
      withinLimit: `${stage} completed within its limit`,
      limitWorkingDays: `${stage} limit shown (working days)`,
      limitCalendarDays: `${stage} limit shown (calendar days)`,
      limitsVary: `${stage}: limits vary within the quarter`,
    };
    return (third && field[third]) ?? `${stage} ${third ?? ""}`.trim();
  }
  if (head === "totalLimit") {
    const field: Record<string, string> = {
      limitWorkingDays: "Total limit shown (working days)",
      closed: "Closed (judged against the total limit)",
      withinLimit: "Closed within the total limit",
      overdueAtAsOf: `Over the total limit on ${on}`,
    };
    return (second && field[second]) ?? "Total limit";
  }
  if (head === "byRaisingAgency" && second) return `Raised by ${second}`;
  if (head === "byReceivingAgency" && second) return `Raised with ${second}`;
  if (head === "themes" && second) return `Theme ${second}`;
  if (head === "recurringThemes") return "Recurring themes";
  return parts.join(" ");
}
