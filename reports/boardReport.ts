/** The board report for publication: exact figures from server/metrics, then the partnership's disclosure profile. */
import { inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { partnerships } from "../db/schema";
import { getBoardReport, type BoardReport, type BoardReportParams } from "../server/metrics/boardReport";
import { publishBoardReport, type DisclosureProfile, type PublishedBoardReport } from "./disclosure";

export interface BoardReportRequest extends BoardReportParams {
  /** Apply disclosure control (what may be published) instead of showing exact figures. */
  published?: boolean;
  /** Overrides the partnerships' own profile. */
  profile?: DisclosureProfile;
}

/**
 * The profile for a report: the one asked for, else the partnerships' own; partnerships reported
 * together that chose different profiles get the stricter, nhs.
 */
export async function profileFor(db: Db, codes: string[]): Promise<DisclosureProfile> {
  const rows = await db.select({ profile: partnerships.disclosureProfile }).from(partnerships).where(inArray(partnerships.code, codes));
  return rows.some((r) => r.profile === "nhs") ? "nhs" : "dfe";
}

export async function getBoardReportFor(db: Db, request: BoardReportRequest): Promise<BoardReport | PublishedBoardReport> {
  const report = await getBoardReport(db, request);
  if (!request.published) return report;
  return publishBoardReport(report, request.profile ?? (await profileFor(db, report.partnerships)));
}
