/**
 * A deterministic generator of realistic demo uploads: escalations, conference dissent and
 * conference activity for every partnership in the reference data, written in the upload formats
 * (IMPORT-FORMAT.md) so the same files feed the importer, the tests and the demo.
 *
 * The same seed, reference data and period always give the same bytes.
 */
import { seededRandom } from "../../server/random";
import Papa from "papaparse";
import { englandAndWalesBankHolidays } from "../../server/calendar/bankHolidays";
import { addDays, eachDate, toDayNumber, type IsoDate } from "../../server/calendar/dates";
import { WorkingDayCalendar } from "../../server/calendar/workingDays";
import { versionsOf, type ReferenceData } from "../../server/reference/config";
import { versionOn } from "../../server/reference/procedureVersions";
import type { UploadKind } from "../formats";
import { isValidNhsNumber } from "../pseudonymise";

export const ESCALATION_COLUMNS = [
  "record_ref", "partnership", "raising_agency", "receiving_agency", "child_ref", "concern_arose_on", "themes",
  "stage1_on", "stage2_on", "stage3_on", "stage4_on", "stage5_on", "status", "closed_on", "learning_disseminated_on",
] as const;
export const DISSENT_COLUMNS = [
  "record_ref", "partnership", "conference_date", "conference_type", "dissenting_agency", "dissenting_role", "decision",
  "themes", "chair_followup_on", "status", "escalation_ref", "child_ref",
] as const;
export const CONFERENCE_ACTIVITY_COLUMNS = ["partnership", "month", "initial_conferences", "review_conferences"] as const;

export type EscalationRow = Record<(typeof ESCALATION_COLUMNS)[number], string>;
export type DissentRow = Record<(typeof DISSENT_COLUMNS)[number], string>;
export type ConferenceActivityRow = Record<(typeof CONFERENCE_ACTIVITY_COLUMNS)[number], string>;

/**
 * How the agency's system writes its export: `canonical` uses the template's column names and ISO
 * dates; `spreadsheet` uses friendlier aliases for the headers and dd/mm/yyyy dates, as a hand-kept
 * Excel log does.
 */
export type ExportStyle = "canonical" | "spreadsheet";

export interface DemoFile {
  kind: UploadKind;
  /** The uploading agency's code. */
  agency: string;
  fileName: string;
  style: ExportStyle;
  rows: EscalationRow[] | DissentRow[] | ConferenceActivityRow[];
  /** record_refs (or months) of the rows deliberately written with faults, which the importer rejects. */
  plantedFaults: string[];
}

export interface DemoOptions {
  seed: number;
  /** First and last day of the period the demo covers. */
  from: IsoDate;
  to: IsoDate;
  /** Plant a few realistic faults (default true). */
  faults?: boolean;
}

/** Two years ending with the last quarter before the demo was first cut, with a few planted faults. */
export const DEFAULT_DEMO_OPTIONS: DemoOptions = { seed: 20261123, from: "2024-10-01", to: "2026-09-30" };

/** Escalations raised per quarter, roughly in proportion to each area's child population. */
const ESCALATIONS_PER_QUARTER: Record<string, number> = {
  hampshire: 48, "isle-of-wight": 11, portsmouth: 21, southampton: 24, oxfordshire: 36,
};
const DEFAULT_ESCALATIONS_PER_QUARTER = 15;


class Dice {
  constructor(private readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of choices) {
      r -= weight;
      if (r < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }
  /** A Poisson-like count around `mean` (sum of Bernoulli trials, enough for demo volumes). */
  around(mean: number): number {
    let n = 0;
    for (let i = 0; i < mean * 2; i++) if (this.chance(0.5)) n++;
    return n;
  }
}

const RAISING_SECTOR_WEIGHTS = [
  ["health", 30], ["education", 25], ["police", 15], ["social_care", 10], ["vcf", 8], ["probation", 6], ["youth_justice", 6],
] as const;

const THEME_WEIGHTS = [
  ["thresholds", 30], ["information_sharing", 16], ["assessment_outcome", 15], ["roles_responsibilities", 12],
  ["service_provision", 12], ["conference_need", 6], ["plan_decision", 4], ["other", 5],
] as const;

/** Highest stage an escalation reaches: most resolve at the lowest levels, as the procedures intend. */
const STAGE_REACHED_WEIGHTS = [[1, 34], [2, 36], [3, 16], [4, 9], [5, 5]] as const;

const DISSENT_ROLES: Record<string, string[]> = {
  health: ["Health visitor", "School nurse", "Named nurse for safeguarding", "GP", "Midwife", "Paediatrician"],
  police: ["Detective constable", "Police sergeant", "Child abuse investigation officer"],
  education: ["Designated safeguarding lead", "Head teacher", "Deputy designated safeguarding lead"],
  probation: ["Probation officer"],
  youth_justice: ["Youth justice officer"],
  vcf: ["Family support worker", "Project worker"],
  social_care: ["Social worker"],
  other: ["Practitioner"],
};

interface AgencyInfo {
  code: string;
  sector: string;
}

function ukRef(prefix: string, year: string, n: number): string {
  return `${prefix}-${year}-${String(n).padStart(4, "0")}`;
}

function nhsNumber(dice: Dice): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? dice.int(4, 9) : dice.int(0, 9))).join("");
    for (let check = 0; check <= 9; check++) {
      if (isValidNhsNumber(digits + check)) return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}${check}`;
    }
  }
}

function childRef(dice: Dice): string {
  if (dice.chance(0.3)) return "";
  return dice.chance(0.5) ? nhsNumber(dice) : `CR${dice.int(100000, 999999)}`;
}

function themesFor(dice: Dice, weights: ReadonlyArray<readonly [string, number]>): string {
  const first = dice.weighted(weights);
  if (!dice.chance(0.22)) return first;
  const second = dice.weighted(weights);
  return second === first ? first : `${first}; ${second}`;
}

export function generateDemo(reference: ReferenceData, options: DemoOptions = DEFAULT_DEMO_OPTIONS): DemoFile[] {
  const dice = new Dice(seededRandom(options.seed));
  const holidays = englandAndWalesBankHolidays().map((h) => h.date);
  const escalationsByAgency = new Map<string, EscalationRow[]>();
  const dissentsByAgency = new Map<string, DissentRow[]>();
  const activityByAgency = new Map<string, ConferenceActivityRow[]>();
  const serial = new Map<string, number>();
  const nextRef = (prefix: string, date: IsoDate) => {
    const key = `${prefix}-${date.slice(0, 4)}`;
    const n = (serial.get(key) ?? 0) + 1;
    serial.set(key, n);
    return ukRef(prefix, date.slice(0, 4), n);
  };
  const push = <T>(map: Map<string, T[]>, agency: string, row: T) => {
    const list = map.get(agency) ?? [];
    list.push(row);
    map.set(agency, list);
  };

  const days = eachDate(options.from, options.to);
  const periodDays = days.length;

  for (const partnership of reference.partnerships) {
    // Each escalation follows the version in force on its concern date.
    const versions = versionsOf(reference, partnership);
    const calendar = new WorkingDayCalendar(holidays, partnership.closureDays);
    const members: AgencyInfo[] = reference.agencies.filter((a) => a.partnerships.includes(partnership.code));
    const bySector = (sector: string) => members.filter((a) => a.sector === sector);
    const socialCare = bySector("social_care");
    if (socialCare.length === 0 || members.length < 3) continue;
    const chairAgency = socialCare[0]!;
    const workingDays = days.filter((d) => calendar.isWorkingDay(d));

    const raiseEscalation = (raising: AgencyInfo, receiving: AgencyInfo, arose: IsoDate, themes: string, forceOpenChance = 0): string => {
      const ref = nextRef(raising.code, arose);
      const version = versionOn(versions, arose)!;
      const stageCount = version.stages.length;
      const reached = Math.min(dice.weighted(STAGE_REACHED_WEIGHTS), stageCount);
      const stageDates: string[] = ["", "", "", "", ""];
      let clock = arose;
      let cutOff = false;
      const skipFirst = reached > 1 && dice.chance(0.04);
      for (let k = 1; k <= reached; k++) {
        const stage = version.stages[k - 1]!;
        // A calendar-day limit is about five sevenths as many working days.
        const limit = stage.limitUnit === "calendar" ? Math.floor((stage.limitDays * 5) / 7) : stage.limitDays;
        const delay = dice.chance(0.74) ? dice.int(0, limit) : limit + dice.int(1, limit + 6);
        const date = calendar.addWorkingDays(clock, delay);
        if (date > options.to) {
          cutOff = true;
          break;
        }
        if (!(k === 1 && skipFirst)) stageDates[k - 1] = date;
        clock = date;
      }
      const lastDated = clock;
      const openNow = cutOff || dice.chance(forceOpenChance) || (toDayNumber(options.to) - toDayNumber(arose) < 20 && dice.chance(0.5));
      let status = "open";
      let closedOn = "";
      let learning = "";
      if (!openNow) {
        status = dice.chance(0.92) ? "resolved" : "withdrawn";
        const closing = calendar.addWorkingDays(lastDated, dice.int(0, 1));
        if (closing <= options.to) {
          closedOn = closing;
          if (status === "resolved" && stageDates[stageCount - 1]) {
            // The procedures ask for learning within one calendar month; most manage it.
            const shared = dice.chance(0.8) ? addDays(closing, dice.int(3, 27)) : addDays(closing, dice.int(32, 60));
            if (shared <= options.to && dice.chance(0.9)) learning = shared;
          }
        } else status = "open";
      }
      push(escalationsByAgency, raising.code, {
        record_ref: ref,
        partnership: partnership.code,
        raising_agency: raising.code,
        receiving_agency: receiving.code,
        child_ref: childRef(dice),
        concern_arose_on: arose,
        themes,
        stage1_on: stageDates[0]!,
        stage2_on: stageDates[1]!,
        stage3_on: stageDates[2]!,
        stage4_on: stageDates[3]!,
        stage5_on: stageDates[4]!,
        status,
        closed_on: closedOn,
        learning_disseminated_on: learning,
      });
      return ref;
    };

    // Escalations under the procedure.
    const perQuarter = ESCALATIONS_PER_QUARTER[partnership.code] ?? DEFAULT_ESCALATIONS_PER_QUARTER;
    const total = Math.round((perQuarter * periodDays) / 91.3);
    for (let i = 0; i < total; i++) {
      const sector = dice.weighted(RAISING_SECTOR_WEIGHTS);
      const raisingPool = bySector(sector).length ? bySector(sector) : members;
      const raising = dice.pick(raisingPool);
      const receivingPool =
        raising.sector !== "social_care" && dice.chance(0.62) ? socialCare : members.filter((a) => a.code !== raising.code);
      const receiving = dice.pick(receivingPool.filter((a) => a.code !== raising.code));
      // Concerns mostly arise on working days; police and health also log some at weekends and on bank holidays.
      const arose =
        ["police", "health"].includes(raising.sector) && dice.chance(0.12)
          ? dice.pick(days.filter((d) => !calendar.isWorkingDay(d)))
          : dice.pick(workingDays);
      raiseEscalation(raising, receiving, arose, themesFor(dice, THEME_WEIGHTS));
    }

    // Conference activity and dissent, uploaded by the conference service (children's social care).
    const months = [...new Set(days.map((d) => d.slice(0, 7)))];
    const conferenceScale = perQuarter / 10;
    for (const month of months) {
      const initial = Math.max(1, Math.round(conferenceScale * dice.int(8, 12)));
      const review = Math.max(1, Math.round(conferenceScale * dice.int(16, 24)));
      push(activityByAgency, chairAgency.code, {
        partnership: partnership.code,
        month,
        initial_conferences: String(initial),
        review_conferences: String(review),
      });
      // Dissent is recorded at roughly 3 or 4 in 100 conferences.
      const dissentCount = dice.around((initial + review) * 0.035);
      const monthDays = workingDays.filter((d) => d.startsWith(month));
      for (let i = 0; i < dissentCount && monthDays.length; i++) {
        const conferenceDate = dice.pick(monthDays);
        const dissenter = dice.pick(members.filter((a) => a.sector !== "social_care"));
        const decision = dice.weighted([["no_cp_plan", 48], ["cp_plan", 30], ["plan_category", 16], ["conference_not_convened", 6]] as const);
        const themes =
          decision === "conference_not_convened"
            ? "conference_need"
            : themesFor(dice, [["plan_decision", 55], ["thresholds", 22], ["assessment_outcome", 12], ["information_sharing", 7], ["other", 4]] as const);
        const followUp = dice.chance(0.86) ? calendar.addWorkingDays(conferenceDate, dice.chance(0.8) ? dice.int(0, 5) : dice.int(6, 12)) : "";
        let status = dice.weighted([["resolved", 72], ["open", 14], ["escalated", 14]] as const);
        let escalationRef = "";
        if (status === "escalated") {
          const arose = calendar.addWorkingDays(followUp && followUp <= options.to ? followUp : conferenceDate, 1);
          if (arose <= options.to) escalationRef = raiseEscalation(dissenter, chairAgency, arose, "plan_decision", 0.1);
          else status = "open";
        }
        if (status !== "escalated" && toDayNumber(options.to) - toDayNumber(conferenceDate) < 10) status = "open";
        push(dissentsByAgency, chairAgency.code, {
          record_ref: nextRef("CPC", conferenceDate),
          partnership: partnership.code,
          conference_date: conferenceDate,
          conference_type: dice.weighted([["initial", 44], ["review", 51], ["transfer_in", 5]] as const),
          dissenting_agency: dissenter.code,
          dissenting_role: dice.pick(DISSENT_ROLES[dissenter.sector] ?? DISSENT_ROLES.other!),
          decision,
          themes,
          chair_followup_on: followUp && followUp <= options.to ? followUp : "",
          status,
          escalation_ref: escalationRef,
          child_ref: childRef(dice),
        });
      }
    }
  }

  const sectorOf = new Map(reference.agencies.map((a) => [a.code, a.sector]));
  const files: DemoFile[] = [];
  const emit = <T>(kind: UploadKind, map: Map<string, T[]>) => {
    for (const agency of [...map.keys()].sort()) {
      // Schools, colleges and voluntary organisations keep their logs in spreadsheets.
      const style: ExportStyle = ["education", "vcf"].includes(sectorOf.get(agency) ?? "") ? "spreadsheet" : "canonical";
      files.push({ kind, agency, fileName: `${kind}-${agency}.csv`, style, rows: map.get(agency)! as DemoFile["rows"], plantedFaults: [] });
    }
  };
  emit("escalations", escalationsByAgency);
  emit("dissent", dissentsByAgency);
  emit("conference_activity", activityByAgency);
  if (options.faults ?? true) plantFaults(files, dice);
  return files;
}

/**
 * A few faults of the kinds real exports have, so the demo shows rejects: a date in US order, a
 * misspelt agency, a resolved escalation without its closing date, a decision nobody recognises.
 */
function plantFaults(files: DemoFile[], dice: Dice): void {
  const escalationFiles = files.filter((f) => f.kind === "escalations" && f.rows.length >= 20);
  const dissentFiles = files.filter((f) => f.kind === "dissent" && f.rows.length >= 10);
  const plant = (file: DemoFile | undefined, damage: (row: Record<string, string>) => boolean) => {
    if (!file) return;
    const rows = file.rows as Array<Record<string, string>>;
    for (let attempt = 0; attempt < 50; attempt++) {
      const row = rows[dice.int(0, rows.length - 1)]!;
      if (file.plantedFaults.includes(row.record_ref!)) continue;
      if (damage(row)) {
        file.plantedFaults.push(row.record_ref!);
        return;
      }
    }
  };
  const usDate = (row: Record<string, string>) => {
    const [y, m, d] = row.concern_arose_on!.split("-");
    if (Number(d) <= 12) return false;
    row.concern_arose_on = `${m}/${d}/${y}`;
    return true;
  };
  const misspeltAgency = (row: Record<string, string>) => {
    row.receiving_agency = `${row.receiving_agency!.slice(0, -1)}X`;
    return true;
  };
  const missingClosure = (row: Record<string, string>) => {
    if (row.status !== "resolved") return false;
    row.closed_on = "";
    row.learning_disseminated_on = "";
    return true;
  };
  const unknownDecision = (row: Record<string, string>) => {
    row.decision = "Plan agreed with family";
    return true;
  };
  plant(escalationFiles[0], usDate);
  plant(escalationFiles[1], misspeltAgency);
  plant(escalationFiles[2], missingClosure);
  plant(escalationFiles[3], usDate);
  plant(escalationFiles[3], missingClosure);
  plant(dissentFiles[0], unknownDecision);
}

const COLUMNS: Record<UploadKind, readonly string[]> = {
  escalations: ESCALATION_COLUMNS,
  dissent: DISSENT_COLUMNS,
  conference_activity: CONFERENCE_ACTIVITY_COLUMNS,
};

/** The headers a spreadsheet-kept log uses (each an alias the importer accepts). */
const SPREADSHEET_HEADERS: Record<string, string> = {
  record_ref: "Reference", partnership: "LSCP", raising_agency: "Raised by", receiving_agency: "Raised with",
  child_ref: "Case ref", concern_arose_on: "Date raised", themes: "Area of disagreement",
  stage1_on: "Stage 1 date", stage2_on: "Stage 2 date", stage3_on: "Stage 3 date", stage4_on: "Stage 4 date", stage5_on: "Stage 5 date",
  status: "Outcome", closed_on: "Date closed", learning_disseminated_on: "Learning shared",
  conference_date: "Date of conference", conference_type: "Type", dissenting_agency: "Agency", dissenting_role: "Role",
  decision: "Decision dissented from", chair_followup_on: "Follow up date", escalation_ref: "Escalation ref",
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The file as an agency would upload it: CSV with a header row, CRLF line endings as Excel writes. */
export function toCsv(file: DemoFile): string {
  const columns = COLUMNS[file.kind];
  const spreadsheet = file.style === "spreadsheet";
  const cell = (value: string) => (spreadsheet ? value.replace(ISO_DATE, "$3/$2/$1") : value);
  return (
    Papa.unparse(
      {
        fields: columns.map((c) => (spreadsheet ? (SPREADSHEET_HEADERS[c] ?? c) : c)),
        data: file.rows.map((row) => columns.map((c) => cell((row as Record<string, string>)[c] ?? ""))),
      },
      { newline: "\r\n" },
    ) + "\r\n"
  );
}
