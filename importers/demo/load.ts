/**
 * Loads generated demo files straight into the warehouse, one batch per file, in one transaction.
 * The demo rows are generated valid, so this maps codes to ids without the importer's checks; it
 * writes the same tables, batches and audit entry an upload does.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { agencies, conferenceActivity, dissents, escalations, importBatches, partnerships } from "../../db/schema";
import { writeAudit } from "../../server/audit";
import { comparableRecordRef, contentHash, sha256Hex } from "../identity";
import type { ChildRefHasher } from "../pseudonymise";
import { toCsv, type ConferenceActivityRow, type DemoFile, type DissentRow, type EscalationRow } from "./generate";

const CHUNK = 500;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

const orNull = (value: string) => (value === "" ? null : value);
const themeList = (value: string) => [...new Set(value.split(/[;|]/).map((t) => t.trim()).filter(Boolean))];

export interface DemoLoadSummary {
  batches: number;
  escalations: number;
  dissents: number;
  conferenceMonths: number;
}

export async function loadDemoFiles(db: Db, files: DemoFile[], options: { hasher: ChildRefHasher; actor: string }): Promise<DemoLoadSummary> {
  return db.transaction(async (tx) => {
    const partnershipIds = new Map((await tx.select({ id: partnerships.id, code: partnerships.code }).from(partnerships)).map((p) => [p.code, p.id]));
    const agencyIds = new Map((await tx.select({ id: agencies.id, code: agencies.code }).from(agencies)).map((a) => [a.code, a.id]));
    const id = (map: Map<string, number>, code: string, what: string) => {
      const found = map.get(code);
      if (found === undefined) throw new Error(`Demo data names ${what} "${code}", which the reference data does not have`);
      return found;
    };
    const hashChild = (ref: string) => (ref ? options.hasher(ref) : null);
    const summary: DemoLoadSummary = { batches: 0, escalations: 0, dissents: 0, conferenceMonths: 0 };

    for (const file of files) {
      const agencyId = id(agencyIds, file.agency, "agency");
      const [batch] = await tx
        .insert(importBatches)
        .values({
          kind: file.kind,
          agencyId,
          fileName: file.fileName,
          fileSha256: sha256Hex(toCsv(file)),
          uploadedBy: options.actor,
          rowsRead: file.rows.length,
          loaded: file.rows.length,
          notes: ["Demo data, loaded directly by the demo set-up"],
        })
        .returning({ id: importBatches.id });
      const batchId = batch!.id;
      summary.batches++;

      if (file.kind === "escalations") {
        const rows = (file.rows as EscalationRow[]).map((r) => {
          const content = {
            partnershipId: id(partnershipIds, r.partnership, "partnership"),
            raisingAgencyId: id(agencyIds, r.raising_agency, "agency"),
            receivingAgencyId: id(agencyIds, r.receiving_agency, "agency"),
            childRefHash: hashChild(r.child_ref),
            concernAroseOn: r.concern_arose_on,
            themes: themeList(r.themes),
            stage1On: orNull(r.stage1_on),
            stage2On: orNull(r.stage2_on),
            stage3On: orNull(r.stage3_on),
            stage4On: orNull(r.stage4_on),
            stage5On: orNull(r.stage5_on),
            status: r.status,
            closedOn: orNull(r.closed_on),
            learningDisseminatedOn: orNull(r.learning_disseminated_on),
          };
          return {
            ...content,
            agencyId,
            recordRef: comparableRecordRef(r.record_ref),
            recordRefAsUploaded: r.record_ref,
            batchId,
            contentHash: contentHash(content),
          };
        });
        await insertChunked(rows, (chunk) => tx.insert(escalations).values(chunk));
        summary.escalations += rows.length;
      } else if (file.kind === "dissent") {
        const rows = (file.rows as DissentRow[]).map((r) => {
          const content = {
            partnershipId: id(partnershipIds, r.partnership, "partnership"),
            conferenceDate: r.conference_date,
            conferenceType: r.conference_type,
            dissentingAgencyId: id(agencyIds, r.dissenting_agency, "agency"),
            dissentingRole: orNull(r.dissenting_role),
            decision: r.decision,
            themes: themeList(r.themes),
            chairFollowUpOn: orNull(r.chair_followup_on),
            status: r.status,
            escalationRef: orNull(r.escalation_ref),
            childRefHash: hashChild(r.child_ref),
          };
          return {
            ...content,
            agencyId,
            recordRef: comparableRecordRef(r.record_ref),
            recordRefAsUploaded: r.record_ref,
            batchId,
            contentHash: contentHash(content),
          };
        });
        await insertChunked(rows, (chunk) => tx.insert(dissents).values(chunk));
        summary.dissents += rows.length;
      } else {
        const rows = (file.rows as ConferenceActivityRow[]).map((r) => ({
          partnershipId: id(partnershipIds, r.partnership, "partnership"),
          month: `${r.month}-01`,
          initialConferences: Number(r.initial_conferences),
          reviewConferences: Number(r.review_conferences),
          agencyId,
          batchId,
        }));
        await insertChunked(rows, (chunk) => tx.insert(conferenceActivity).values(chunk));
        summary.conferenceMonths += rows.length;
      }
    }

    await writeAudit(tx, {
      actor: options.actor,
      action: "demo.load",
      scope: { partnerships: [...partnershipIds.keys()] },
      details: { ...summary },
      outcome: "success",
    });
    // Keep the planner's statistics fresh after a bulk load.
    await tx.execute(sql`analyze escalations`);
    return summary;
  });
}
