/**
 * Reading one row of an upload: every column parsed and every rule checked, each fault recorded
 * with its column, the value as written and a reason in plain English. A row with faults is staged
 * with them (and becomes one reject); a row without is staged for loading.
 */
import { addDays, formatUkDate, type IsoDate } from "../server/calendar/dates";
import { STAGE_NUMBERS, versionOn } from "../server/reference/procedureVersions";
import type { RejectFault } from "../db/schema";
import type { UploadKind } from "./formats";
import type { HeaderMapping } from "./headers";
import { comparableRecordRef } from "./identity";
import { isValidNhsNumber, type ChildRefHasher } from "./pseudonymise";
import type { AgencyRef, PartnershipRef, ReferenceContext, VersionRef } from "./referenceContext";
import {
  shorten,
  CONFERENCE_TYPE,
  DECISION,
  DISSENT_STATUS,
  ESCALATION_STATUS,
  parseChoice,
  parseCount,
  parseMonth,
  parseUkDate,
} from "./values";

/** Shown instead of a child reference: the plain value is never stored, logged or returned. */
export const WITHHELD = "(withheld: child reference)";
const MAX_VALUE_SHOWN = 200;
// Control characters (other than tab and line breaks) never belong in a log and would corrupt the load.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export interface RowContext {
  ref: ReferenceContext;
  uploader: AgencyRef;
  uploadDate: IsoDate;
  hasher: ChildRefHasher;
  mapping: HeaderMapping;
  notes: UploadNotes;
}

/** File-level notes gathered while reading rows. */
export class UploadNotes {
  twoDigitYears = 0;
  /** The first few rows with a skipped stage, to name in the note. */
  skippedStageRows: number[] = [];
  /** Rows loaded with a skipped stage. */
  skippedStageCount = 0;
}

export type StagedValue = string | number | string[] | null;

export interface StagedRow {
  rowNumber: number;
  /** Values in the kind's staging column order (see STAGING_COLUMNS). */
  values: StagedValue[];
  faults: RejectFault[];
}

class Row {
  readonly faults: RejectFault[] = [];

  constructor(
    private readonly cells: string[],
    private readonly context: RowContext,
  ) {}

  get(column: string): string {
    const index = this.context.mapping.columns.get(column);
    return index === undefined ? "" : (this.cells[index] ?? "").trim();
  }

  /** Records a fault; `rule` names the kind of fault, for counting rejects by reason. */
  fault(column: string, value: string, reason: string, rule: string): void {
    const shown = column === "child_ref" ? WITHHELD : shorten(value, MAX_VALUE_SHOWN);
    this.faults.push({ column, value: shown, reason, rule });
  }

  required(column: string): string | null {
    const value = this.get(column);
    if (value === "") {
      this.fault(column, "", "is required", "required");
      return null;
    }
    return value;
  }

  text(column: string, max: number, required: boolean): string | null {
    const value = required ? this.required(column) : this.get(column) || null;
    if (value === null) return null;
    if (CONTROL_CHARACTERS.test(value)) {
      this.fault(column, value.replace(CONTROL_CHARACTERS, "?"), "contains a control character; remove it and upload again", "control_character");
      return null;
    }
    if (value.length > max) {
      this.fault(column, value, `is ${value.length} characters long; at most ${max} are allowed`, "too_long");
      return null;
    }
    return value;
  }

  date(column: string, required: boolean): IsoDate | null {
    const value = required ? this.required(column) : this.get(column) || null;
    if (value === null) return null;
    const parsed = parseUkDate(value);
    if (!parsed.ok) {
      this.fault(column, value, parsed.reason, "invalid_date");
      return null;
    }
    if (parsed.value.twoDigitYear) this.context.notes.twoDigitYears++;
    if (parsed.value.date > this.context.uploadDate) {
      this.fault(column, value, `is after the upload date (${formatUkDate(this.context.uploadDate)})`, "after_upload_date");
      return null;
    }
    return parsed.value.date;
  }

  choice<T extends string>(column: string, synonyms: Record<string, T>, allowed: string): T | null {
    const value = this.required(column);
    if (value === null) return null;
    const parsed = parseChoice(value, synonyms, `one of ${allowed}`);
    if (!parsed.ok) {
      this.fault(column, value, parsed.reason, "not_in_list");
      return null;
    }
    return parsed.value;
  }

  recordRef(): { comparable: string; asUploaded: string } | null {
    const value = this.text("record_ref", 64, true);
    return value === null ? null : { comparable: comparableRecordRef(value), asUploaded: value };
  }

  /**
   * The row's partnership: as written, or the uploading agency's only partnership. An agency
   * uploads only into partnerships it is a member of: otherwise any uploader could change another
   * partnership's figures (issue 16).
   */
  partnership(): PartnershipRef | null {
    const { ref, uploader } = this.context;
    const value = this.get("partnership");
    if (value === "") {
      if (uploader.partnershipIds.size === 1) return ref.partnershipById.get([...uploader.partnershipIds][0]!) ?? null;
      if (uploader.partnershipIds.size === 0) {
        this.fault("partnership", "", notMemberOfAny(uploader), "uploader_not_member");
        return null;
      }
      const names = [...uploader.partnershipIds].map((id) => ref.partnershipById.get(id)?.code).filter(Boolean);
      this.fault("partnership", "", `is required because ${uploader.code} belongs to ${names.length} partnerships (${names.join(", ")})`, "partnership_required");
      return null;
    }
    const found = ref.partnership(value);
    if (!found) {
      this.fault("partnership", value, ref.unknownPartnershipReason(), "unknown_partnership");
      return null;
    }
    if (!uploader.partnershipIds.has(found.id)) {
      const own = [...uploader.partnershipIds].map((id) => ref.partnershipById.get(id)?.code).filter(Boolean);
      this.fault(
        "partnership",
        value,
        uploader.partnershipIds.size === 0
          ? notMemberOfAny(uploader)
          : `agency ${uploader.code} is not a member of ${found.name}, so it cannot upload that partnership's records; ${uploader.code} uploads for ${own.join(", ")}`,
        "uploader_not_member",
      );
    }
    // Returned even so: the row's other columns are still checked against it, so the reject lists every fault.
    return found;
  }

  agency(column: string, partnership: PartnershipRef | null): AgencyRef | null {
    const value = this.required(column);
    if (value === null) return null;
    const found = this.context.ref.agency(value);
    if (!found) {
      this.fault(column, value, this.context.ref.unknownAgencyReason(value), "unknown_agency");
      return null;
    }
    if (partnership && !found.partnershipIds.has(partnership.id)) {
      this.fault(
        column,
        value,
        `${found.name} (${found.code}) is not a member of ${partnership.name}; an out-of-area agency must first be configured as a member`,
        "not_member",
      );
    }
    return found;
  }

  themes(column: string, partnership: PartnershipRef | null): string[] | null {
    const value = this.required(column);
    if (value === null) return null;
    const { codes, unknown } = this.context.ref.themeList(value, partnership);
    if (unknown.length) {
      const valid = partnership?.themeCodes ?? this.context.ref.partnerships[0]?.themeCodes ?? [];
      this.fault(column, value, `${unknown.map((u) => `"${u}"`).join(", ")} ${unknown.length === 1 ? "is not a theme" : "are not themes"}; use one or more of ${valid.join(", ")}, separated by ; or |`, "unknown_theme");
      return null;
    }
    if (codes.length === 0) {
      this.fault(column, value, "is required", "required");
      return null;
    }
    return codes;
  }

  childRef(): string | null {
    const value = this.get("child_ref");
    if (value === "") return null;
    if (/^[\d\s]+$/.test(value) && value.replace(/\s/g, "").length === 10 && !isValidNhsNumber(value.replace(/\s/g, ""))) {
      this.fault("child_ref", value, "looks like an NHS number (10 digits) but its check digit is wrong", "nhs_number_check");
      return null;
    }
    if (value.length > 64 || CONTROL_CHARACTERS.test(value)) {
      this.fault("child_ref", value, "must be at most 64 characters with no control characters", "invalid_child_ref");
      return null;
    }
    return this.context.hasher(value);
  }

  count(column: string): number | null {
    const value = this.required(column);
    if (value === null) return null;
    const parsed = parseCount(value);
    if (!parsed.ok) {
      this.fault(column, value, parsed.reason, "invalid_number");
      return null;
    }
    return parsed.value;
  }
}

const notMemberOfAny = (uploader: AgencyRef) =>
  `agency ${uploader.code} is not a member of any partnership, so it cannot upload records; an admin first configures it as a member of its partnership`;

const describeDate = (date: IsoDate) => formatUkDate(date);

/**
 * The version that judges a row, named with the days it is in force: the first version from the
 * calendar's first day whatever date it names, each until the next one takes over.
 */
function describeVersion(versions: VersionRef[], version: VersionRef): string {
  const at = versions.indexOf(version);
  const next = versions[at + 1];
  const until = next ? `until ${describeDate(addDays(next.effectiveFrom, -1))}` : "";
  const span = at === 0 ? (next ? `in force ${until}` : "") : `in force from ${describeDate(version.effectiveFrom)}${next ? ` ${until}` : ""}`;
  return `"${version.name}", the procedure version that judges this escalation${span ? ` (${span})` : ""},`;
}

function readEscalation(row: Row, rowNumber: number, context: RowContext): StagedValue[] {
  const ref = row.recordRef();
  const partnership = row.partnership();
  const raising = row.agency("raising_agency", partnership);
  const receiving = row.agency("receiving_agency", partnership);
  if (raising && receiving && raising.id === receiving.id) {
    row.fault("receiving_agency", row.get("receiving_agency"), "is the same agency as raising_agency; an escalation is between two agencies", "same_agency");
  }
  const childRefHash = row.childRef();
  const arose = row.date("concern_arose_on", true);
  const themes = row.themes("themes", partnership);
  const stages = STAGE_NUMBERS.map((k) => row.date(`stage${k}_on`, false));
  // Judged by the version in force on the concern date (the first version before any later one).
  // Without a readable concern date no version can be chosen: a stage beyond every version is still a fault.
  const versions = partnership?.versions ?? [];
  const version = arose ? versionOn(versions, arose) : undefined;
  const most = Math.max(0, ...versions.map((v) => v.stageCount));
  const status = row.choice("status", ESCALATION_STATUS, "open, resolved or withdrawn");
  const closed = row.date("closed_on", false);
  const learning = row.date("learning_disseminated_on", false);

  if (partnership && partnership.versions.length === 0) {
    row.fault("partnership", row.get("partnership") || partnership.code, `has no procedure set up yet, so its escalations cannot be judged; an admin sets up ${partnership.name}'s procedure first`, "no_procedure");
  }
  // Stages: within the procedure, each on or after the concern and every earlier stage date.
  let latest: { date: IsoDate; label: string } | null = arose ? { date: arose, label: "concern_arose_on" } : null;
  stages.forEach((date, i) => {
    const k = i + 1;
    const column = `stage${k}_on`;
    if (date === null) return;
    if (partnership && version && k > version.stageCount) {
      row.fault(column, row.get(column), `is for ${version.stageWord} ${k}, but ${describeVersion(versions, version)} has ${version.stageCount} ${version.stageWord}s`, "stage_beyond_procedure");
      return;
    }
    if (partnership && !version && versions.length && k > most) {
      row.fault(column, row.get(column), `is for ${versions.at(-1)!.stageWord} ${k}, but no version of ${partnership.name}'s procedure has more than ${most} ${versions.at(-1)!.stageWord}s`, "stage_beyond_procedure");
      return;
    }
    if (latest && date < latest.date) {
      row.fault(column, row.get(column), `is before ${latest.label} (${describeDate(latest.date)})`, "date_order");
    }
    if (!latest || date >= latest.date) latest = { date, label: column };
  });

  if (status === "open" && row.get("closed_on") !== "") {
    row.fault("closed_on", row.get("closed_on"), "must be empty while status is open", "closed_while_open");
  }
  if ((status === "resolved" || status === "withdrawn") && row.get("closed_on") === "") {
    row.fault("closed_on", "", `is required when status is ${status}`, "closed_on_missing");
  }
  if (closed && latest && closed < latest.date) {
    row.fault("closed_on", row.get("closed_on"), `is before ${latest.label} (${describeDate(latest.date)})`, "date_order");
  }
  if (row.get("learning_disseminated_on") !== "" && status === "open") {
    row.fault("learning_disseminated_on", row.get("learning_disseminated_on"), "is only recorded on closed escalations (status resolved or withdrawn)", "learning_while_open");
  } else if (learning && closed && learning < closed) {
    row.fault("learning_disseminated_on", row.get("learning_disseminated_on"), `is before closed_on (${describeDate(closed)})`, "date_order");
  }
  // A stage left empty below the highest dated stage was skipped: allowed, noted once per row.
  const highest = Math.max(0, ...STAGE_NUMBERS.filter((k) => row.get(`stage${k}_on`) !== ""));
  const skipped = STAGE_NUMBERS.filter((k) => k < highest && row.get(`stage${k}_on`) === "");
  if (skipped.length && row.faults.length === 0) {
    context.notes.skippedStageCount++;
    if (context.notes.skippedStageRows.length < 20) context.notes.skippedStageRows.push(rowNumber);
  }

  return [
    ref?.comparable ?? null, ref?.asUploaded ?? null, partnership?.id ?? null, raising?.id ?? null, receiving?.id ?? null,
    childRefHash, arose, themes, ...stages, status, closed, learning,
  ];
}

function readDissent(row: Row): StagedValue[] {
  const ref = row.recordRef();
  const partnership = row.partnership();
  const conferenceDate = row.date("conference_date", true);
  const conferenceType = row.choice("conference_type", CONFERENCE_TYPE, "initial, review or transfer_in (ICPC, RCPC and TICPC are accepted)");
  const agency = row.agency("dissenting_agency", partnership);
  const role = row.text("dissenting_role", 80, false);
  const decision = row.choice("decision", DECISION, "cp_plan, no_cp_plan, plan_category or conference_not_convened");
  const themes = row.themes("themes", partnership);
  const followUp = row.date("chair_followup_on", false);
  const status = row.choice("status", DISSENT_STATUS, "open, resolved or escalated");
  const escalationRef = row.text("escalation_ref", 64, false);
  const childRefHash = row.childRef();
  if (followUp && conferenceDate && followUp < conferenceDate) {
    row.fault("chair_followup_on", row.get("chair_followup_on"), `is before conference_date (${describeDate(conferenceDate)})`, "date_order");
  }
  if (status === "escalated" && row.get("escalation_ref") === "") {
    row.fault("escalation_ref", "", "is required when status is escalated: give the record_ref of the escalation raised under the procedure", "escalation_ref_missing");
  }
  return [
    ref?.comparable ?? null, ref?.asUploaded ?? null, partnership?.id ?? null, conferenceDate, conferenceType, agency?.id ?? null,
    role, decision, themes, followUp, status, escalationRef === null ? null : comparableRecordRef(escalationRef), childRefHash,
  ];
}

function readConferenceActivity(row: Row, context: RowContext): StagedValue[] {
  const partnership = row.partnership();
  const raw = row.required("month");
  let month: IsoDate | null = null;
  if (raw !== null) {
    const parsed = parseMonth(raw);
    if (!parsed.ok) row.fault("month", raw, parsed.reason, "invalid_month");
    else if (parsed.value.date > context.uploadDate) row.fault("month", raw, `is after the upload date (${describeDate(context.uploadDate)})`, "after_upload_date");
    else month = parsed.value.date;
  }
  return [partnership?.id ?? null, month, row.count("initial_conferences"), row.count("review_conferences")];
}

/** Reads one non-blank row of the given kind. */
export function readRow(kind: UploadKind, cells: string[], rowNumber: number, context: RowContext): StagedRow {
  const row = new Row(cells, context);
  const values =
    kind === "escalations"
      ? readEscalation(row, rowNumber, context)
      : kind === "dissent"
        ? readDissent(row)
        : readConferenceActivity(row, context);
  return { rowNumber, values, faults: row.faults };
}

/** True when every cell is empty: such rows are skipped silently. */
export function isBlankRow(cells: string[]): boolean {
  return cells.every((c) => c.trim() === "");
}
