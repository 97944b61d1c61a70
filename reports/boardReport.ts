/** The board report for publication: exact figures from server/metrics, then the partnership's disclosure profile. */
import type { Db } from "../db/client";
import { getBoardReport, type BoardReport, type BoardReportParams } from "../server/metrics/boardReport";
import { getBoardDocument } from "./boardDocument";
import { publishBoardReport, type DisclosureCheck, type DisclosureProfile, type PublishedBoardReport } from "./disclosure";
import { profileFor } from "./profile";

export { profileFor };

export interface BoardReportRequest extends BoardReportParams {
  /** Apply disclosure control (what may be published) instead of showing exact figures. */
  published?: boolean;
  /** Overrides the partnerships' own profile. */
  profile?: DisclosureProfile;
  /**
   * With `published`: also suppress and check the whole board document (trend, scrutiny) and say how
   * many of its cells were hidden and whether it passed (what the reports page shows before issuing).
   */
  documentCheck?: boolean;
}

export type PublishedWithDocumentCheck = PublishedBoardReport & { documentCheck?: DisclosureCheck };

export async function getBoardReportFor(db: Db, request: BoardReportRequest): Promise<BoardReport | PublishedWithDocumentCheck> {
  const { documentCheck, ...params } = request;
  const report = await getBoardReport(db, params);
  if (!params.published) return report;
  const published: PublishedWithDocumentCheck = publishBoardReport(report, params.profile ?? (await profileFor(db, report.partnerships)));
  if (documentCheck) published.documentCheck = (await getBoardDocument(db, { ...params, published: true })).disclosure!;
  return published;
}
