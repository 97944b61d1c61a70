/**
 * The hand-worked world of tests/board-report.test.ts (where every figure is worked out from these
 * rows): north's escalations, dissent and conference activity around Christmas 2025, uploaded by CSC
 * through the importer. The dashboard's browser tests read the same world.
 */
import type { Db } from "../../db/client";
import { importText } from "./records";
import { loadSmallWorld } from "./reference";

export const ESCALATIONS = `record_ref,raising_agency,receiving_agency,concern_arose_on,themes,stage1_on,stage2_on,stage3_on,status,closed_on,learning_disseminated_on
E0,CSC,POL,2024-12-31,roles,2025-01-02,,,resolved,2025-01-02,
E1,CSC,HLT,2025-10-01,thresholds; information sharing,2025-10-03,2025-10-07,,resolved,2025-10-07,
E2,CSC,HLT,2025-12-23,thresholds,2025-12-30,2026-01-02,,resolved,2026-01-02,
E3,CSC,HLT,2025-11-03,thresholds,,2025-11-05,2025-11-10,resolved,2025-11-10,2025-12-10
E4,CSC,HLT,2025-11-14,thresholds,2025-11-17,2025-11-18,2025-11-19,resolved,2025-11-19,2025-12-20
E5,CSC,POL,2025-01-01,roles,2025-01-03,,,resolved,2025-01-03,
E6,CSC,POL,2025-05-22,roles,,,,withdrawn,2025-05-26,
E7,CSC,POL,2025-10-15,roles | other,,,,withdrawn,2025-10-16,
E8,HLT,CSC,2025-12-15,services,2025-12-16,,,open,,
E9,CSC,HLT,2025-12-31,assessment,,,,open,,
E10,CSC,HLT,2025-12-05,assessment,2025-12-10,2025-12-11,2025-12-15,open,,
E11,CSC,HLT,2025-12-01,assessment,2025-12-02,,,resolved,2026-01-12,
E12,CSC,HLT,2026-01-05,thresholds,,,,open,,
E13,CSC,HLT,2026-01-12,thresholds,,,,open,,
E14,CSC,POL,2025-09-30,info sharing,2025-10-01,,,resolved,2025-10-02,
E15,CSC,HLT,2026-01-07,thresholds,,,,open,,
E16,CSC,HLT,2025-01-27,other,2025-01-28,2025-01-29,2025-01-31,resolved,2025-01-31,2025-02-28
E17,CSC,HLT,2025-01-27,other,2025-01-28,2025-01-29,2025-01-31,resolved,2025-01-31,2025-03-01
E18,CSC,POL,2025-12-22,info sharing,2025-12-23,,,resolved,2025-12-26,
E19,CSC,POL,2025-10-20,other,2025-10-20,,,resolved,2025-10-20,
E20,CSC,HLT,2022-12-23,other,2022-12-28,,,resolved,2022-12-29,
`;

export const DISSENT = `record_ref,conference_date,conference_type,dissenting_agency,decision,themes,chair_followup_on,status,escalation_ref
D1,2025-10-06,initial,HLT,no_cp_plan,plan,2025-10-13,resolved,
D2,2025-11-03,review,HLT,cp_plan,plan; thresholds,2025-11-11,escalated,E3
D3,2025-12-19,initial,POL,plan_category,category,2025-12-30,resolved,
D4,2025-12-22,review,POL,no_cp_plan,plan,2026-01-12,open,
D5,2025-10-31,TICPC,HLT,conference_not_convened,convene conference,,escalated,E7
D6,2025-12-31,review,HLT,no_cp_plan,plan,2025-12-31,resolved,
D7,2025-09-30,review,HLT,no_cp_plan,plan,,resolved,
D8,2026-01-02,review,HLT,no_cp_plan,plan,,resolved,
`;

// Q4 2025 has all three months; Q1 2025 lacks March.
export const ACTIVITY = `month,initial_conferences,review_conferences
2025-10,10,20
2025-11,10,20
2025-12,5,15
2025-01,8,12
2025-02,9,11
`;

export async function loadHandWorkedWorld(db: Db): Promise<void> {
  await loadSmallWorld(db);
  for (const [kind, csv] of [["escalations", ESCALATIONS], ["dissent", DISSENT], ["conference_activity", ACTIVITY]] as const) {
    const result = await importText(db, csv, { kind, agency: "CSC" });
    if (result.outcome !== "loaded" || result.counts.rejected) throw new Error(JSON.stringify(result));
  }
}
