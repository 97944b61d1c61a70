/**
 * A 24-month world with planted signals (issue 19): January 2024 to December 2025, read as of
 * 15 January 2026, one partnership ("signals") on 3 stages of 2 working days, targets withinLimitPct 80,
 * resolvedAtLowestLevelPct 90, overdueAtMonthEnd 3. Month m = 1 … 24 (m 12 = 2024-12, m 18 = 2025-06).
 *
 * Each month's escalations arise on its 5th and are of three kinds:
 * - within: stage 1 one working day later, resolved then (a completion within the limit, stage 1);
 * - late: stage 1 three working days later, resolved then (a completion over the limit, stage 1);
 * - overdue: no stage dated, withdrawn on the 1st of the next month (overdue at its month's end only).
 * Raised R: 4 in odd and 6 in even months up to m 17, then 8 (the planted shift).
 * Overdue O: 1 in odd months, 2 in even, but 6 in m 12 (the planted point outside the limits).
 * Within W of the R − O completions: m ≤ 17: 2 of 3 (odd) or 3 of 4 (even), none in m 12; m 18 … 24:
 * 1 of 6, 2 of 7, 3 of 6, 4 of 7, 4 of 6, 5 of 7, 5 of 6 (the planted trend).
 * Dissent D on the 10th, each followed up that day: 2 in odd and 4 in even months, but 9 in m 20 and 21 (two of three).
 */
import type { Db } from "../../db/client";
import type { EscalationRow } from "../../importers/demo/generate";
import { englandAndWalesBankHolidays } from "../../server/calendar/bankHolidays";
import { WorkingDayCalendar } from "../../server/calendar/workingDays";
import { spcMonths } from "../../server/metrics/monthlySeries";
import { loadReferenceData, parseReferenceData } from "../../server/reference/config";
import { escalationRow, importText, loadEscalations } from "./records";

export const SPC_WORLD = { partnerships: ["signals"], quarter: "2025-Q4", asOf: "2026-01-15" };
export const spcWorldMonths = spcMonths("2025-Q4");

export const raised = (m: number) => (m <= 17 ? (m % 2 ? 4 : 6) : 8);
export const overdue = (m: number) => (m === 12 ? 6 : m % 2 ? 1 : 2);
export const within = (m: number) => (m === 12 ? 0 : m <= 17 ? (m % 2 ? 2 : 3) : [1, 2, 3, 4, 4, 5, 5][m - 18]!);
export const dissent = (m: number) => (m === 20 || m === 21 ? 9 : m % 2 ? 2 : 4);

/** Loads the planted world (reference data, escalations, dissent) through the importer. */
export async function loadSpcWorld(db: Db, options: { disclosureProfile?: "dfe" | "nhs" } = {}): Promise<void> {
  const calendar = new WorkingDayCalendar(englandAndWalesBankHolidays().map((h) => h.date));
  const months = spcWorldMonths;
  await loadReferenceData(
    db,
    parseReferenceData({
      partnerships: [
        {
          code: "signals",
          name: "Signals Safeguarding Children Partnership",
          ...(options.disclosureProfile ? { disclosureProfile: options.disclosureProfile } : {}),
          procedure: { name: "Three stages", stages: [1, 2, 3].map((number) => ({ number, name: `Stage ${number}`, limitWorkingDays: 2 })) },
          targets: { withinLimitPct: 80, resolvedAtLowestLevelPct: 90, overdueAtMonthEnd: 3 },
        },
      ],
      agencies: [
        { code: "POL", name: "Police", sector: "police", partnerships: ["signals"] },
        { code: "CSC", name: "Children's Social Care", sector: "social_care", partnerships: ["signals"] },
      ],
    }),
    "test",
  );
  const rows: EscalationRow[] = [];
  const dissentLines = ["record_ref,conference_date,conference_type,dissenting_agency,decision,themes,chair_followup_on,status,escalation_ref"];
  months.forEach(({ month }, i) => {
    const m = i + 1;
    const arose = `${month}-05`;
    const next = months[i + 1]?.start ?? "2026-01-01";
    const completions = raised(m) - overdue(m);
    for (let k = 0; k < raised(m); k++) {
      const ref = `${month}-${k + 1}`;
      if (k >= completions) {
        rows.push(escalationRow({ record_ref: ref, partnership: "signals", concern_arose_on: arose, raising_agency: "CSC", receiving_agency: "POL", status: "withdrawn", closed_on: next }));
      } else {
        const on = calendar.addWorkingDays(arose, k < within(m) ? 1 : 3);
        rows.push(escalationRow({ record_ref: ref, partnership: "signals", concern_arose_on: arose, raising_agency: "CSC", receiving_agency: "POL", stage1_on: on, status: "resolved", closed_on: on }));
      }
    }
    for (let k = 0; k < dissent(m); k++) dissentLines.push(`D${month}-${k + 1},${month}-10,review,POL,no_cp_plan,plan,${month}-10,resolved,`);
  });
  await loadEscalations(db, "CSC", rows);
  const result = await importText(db, dissentLines.join("\n") + "\n", { kind: "dissent", agency: "CSC" });
  if (result.outcome !== "loaded" || result.counts.rejected) throw new Error(JSON.stringify(result));
}
