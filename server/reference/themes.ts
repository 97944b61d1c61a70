/** The theme taxonomy every partnership has (METRICS.md, "Theme taxonomy"). */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";

export interface ThemeDefinition {
  code: string;
  label: string;
  synonyms: string[];
}

export const STANDARD_THEMES: readonly ThemeDefinition[] = [
  { code: "thresholds", label: "Thresholds and criteria for referral", synonyms: ["threshold", "criteria for referral", "referral criteria"] },
  { code: "assessment_outcome", label: "Outcome of assessment", synonyms: ["assessment", "outcome of assessment"] },
  { code: "roles_responsibilities", label: "Roles and responsibilities", synonyms: ["roles", "responsibilities"] },
  { code: "service_provision", label: "Service provision and gaps in provision", synonyms: ["services", "provision", "gap in provision"] },
  { code: "information_sharing", label: "Information sharing and communication", synonyms: ["info sharing", "communication"] },
  { code: "conference_need", label: "Need for a child protection conference", synonyms: ["request to convene", "convene conference"] },
  { code: "plan_decision", label: "Child protection plan decision or category", synonyms: ["plan", "no plan", "category"] },
  { code: "other", label: "Other", synonyms: [] },
];

/** The themes named in figures: the standard ones and each partnership's own (the first label of a code wins). */
export async function listThemes(db: Db): Promise<Array<{ code: string; label: string }>> {
  return queryRows<{ code: string; label: string }>(
    db,
    sql`select distinct on (code) code, label from themes order by code, partnership_id nulls first`,
  );
}
