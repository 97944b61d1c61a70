import type { Db } from "../../db/client";
import { ESCALATION_COLUMNS, type EscalationRow } from "../../importers/demo/generate";
import { loadDemoFiles } from "../../importers/demo/load";
import { childRefHasher } from "../../importers/pseudonymise";

export const TEST_HASHER = childRefHasher("test-secret-test-secret-test-secret-0123");

/** An escalation row with every column, the given ones filled in. */
export function escalationRow(values: Partial<EscalationRow> & Pick<EscalationRow, "record_ref" | "partnership">): EscalationRow {
  const row = Object.fromEntries(ESCALATION_COLUMNS.map((c) => [c, ""])) as EscalationRow;
  return { ...row, raising_agency: "POL", receiving_agency: "HLT", themes: "thresholds", status: "open", ...values };
}

/** Loads escalation rows as one upload by `agency` (through the demo loader until the importer exists). */
export async function loadEscalations(db: Db, agency: string, rows: EscalationRow[]): Promise<void> {
  await loadDemoFiles(db, [{ kind: "escalations", agency, fileName: "test.csv", rows }], { hasher: TEST_HASHER, actor: "test" });
}
