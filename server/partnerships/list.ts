import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { partnerships, procedures } from "../../db/schema";
import type { QuarterLabelling } from "../calendar/quarters";
import { NotFoundError } from "../errors";

export interface PartnershipSummary {
  code: string;
  name: string;
  procedureName: string;
  stageWord: string;
  quarterLabels: QuarterLabelling;
}

const summaryColumns = {
  code: partnerships.code,
  name: partnerships.name,
  procedureName: procedures.name,
  stageWord: procedures.stageWord,
  quarterLabels: partnerships.quarterLabels,
};

export async function listPartnerships(db: Db): Promise<PartnershipSummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(partnerships)
    .innerJoin(procedures, eq(procedures.id, partnerships.procedureId))
    .orderBy(asc(partnerships.name));
  return rows.map((r) => ({ ...r, quarterLabels: r.quarterLabels as QuarterLabelling }));
}

/** The partnership with this code, or a NotFoundError naming it. */
export async function findPartnership(db: Db, code: string): Promise<PartnershipSummary & { id: number }> {
  const [row] = await db
    .select({ id: partnerships.id, ...summaryColumns })
    .from(partnerships)
    .innerJoin(procedures, eq(procedures.id, partnerships.procedureId))
    .where(eq(partnerships.code, code));
  if (!row) throw new NotFoundError(`There is no partnership with the code "${code}".`);
  return { ...row, quarterLabels: row.quarterLabels as QuarterLabelling };
}
