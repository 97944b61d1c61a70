/**
 * The upload formats (IMPORT-FORMAT.md): each kind's columns, which are required, and the aliases
 * real exports use. Also the templates offered for download.
 */
import { STAGE_NUMBERS } from "../server/reference/procedureVersions";

export const UPLOAD_KINDS = ["escalations", "dissent", "conference_activity"] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

export interface ColumnSpec {
  name: string;
  required: boolean;
  aliases: string[];
}

const PARTNERSHIP: ColumnSpec = { name: "partnership", required: false, aliases: ["lscp", "area", "local authority"] };
const CHILD_REF: ColumnSpec = { name: "child_ref", required: false, aliases: ["child id", "nhs number", "case ref"] };

const stageColumns: ColumnSpec[] = STAGE_NUMBERS.map((k) => ({
  name: `stage${k}_on`,
  required: false,
  aliases: [`stage ${k} date`, `step ${k} date`, `stage ${k} completed`, `step${k}_on`, `step ${k} completed`],
}));

export const COLUMNS: Record<UploadKind, ColumnSpec[]> = {
  escalations: [
    { name: "record_ref", required: true, aliases: ["ref", "reference", "escalation ref", "id"] },
    PARTNERSHIP,
    { name: "raising_agency", required: true, aliases: ["raised by", "challenging agency", "from agency"] },
    { name: "receiving_agency", required: true, aliases: ["raised with", "challenged agency", "to agency"] },
    CHILD_REF,
    { name: "concern_arose_on", required: true, aliases: ["date raised", "concern date", "date of disagreement"] },
    { name: "themes", required: true, aliases: ["theme", "category", "area of disagreement"] },
    ...stageColumns,
    { name: "status", required: true, aliases: ["outcome"] },
    { name: "closed_on", required: false, aliases: ["date resolved", "date closed", "resolution date"] },
    { name: "learning_disseminated_on", required: false, aliases: ["learning shared"] },
  ],
  dissent: [
    { name: "record_ref", required: true, aliases: ["ref", "reference", "dissent ref", "id"] },
    PARTNERSHIP,
    { name: "conference_date", required: true, aliases: ["date of conference"] },
    { name: "conference_type", required: true, aliases: ["type"] },
    { name: "dissenting_agency", required: true, aliases: ["agency"] },
    { name: "dissenting_role", required: false, aliases: ["role", "profession"] },
    { name: "decision", required: true, aliases: ["decision dissented from"] },
    { name: "themes", required: true, aliases: ["reason", "reason theme"] },
    { name: "chair_followup_on", required: false, aliases: ["follow up date"] },
    { name: "status", required: true, aliases: ["outcome"] },
    { name: "escalation_ref", required: false, aliases: [] },
    CHILD_REF,
  ],
  conference_activity: [
    PARTNERSHIP,
    { name: "month", required: true, aliases: [] },
    { name: "initial_conferences", required: true, aliases: [] },
    { name: "review_conferences", required: true, aliases: [] },
  ],
};

/** One example row per kind, for the downloadable templates. */
export const TEMPLATE_EXAMPLES: Record<UploadKind, Record<string, string>> = {
  escalations: {
    record_ref: "ESC-2025-0001",
    partnership: "hampshire",
    raising_agency: "HIOWC",
    receiving_agency: "HCC-CS",
    child_ref: "",
    concern_arose_on: "03/03/2025",
    themes: "thresholds; information_sharing",
    stage1_on: "04/03/2025",
    stage2_on: "06/03/2025",
    stage3_on: "",
    stage4_on: "",
    stage5_on: "",
    status: "resolved",
    closed_on: "06/03/2025",
    learning_disseminated_on: "",
  },
  dissent: {
    record_ref: "CPC-2025-0001",
    partnership: "hampshire",
    conference_date: "12/03/2025",
    conference_type: "initial",
    dissenting_agency: "HIOWH",
    dissenting_role: "Health visitor",
    decision: "no_cp_plan",
    themes: "plan_decision",
    chair_followup_on: "14/03/2025",
    status: "resolved",
    escalation_ref: "",
    child_ref: "",
  },
  conference_activity: {
    partnership: "hampshire",
    month: "2025-03",
    initial_conferences: "42",
    review_conferences: "88",
  },
};
