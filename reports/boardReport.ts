/** The board report for publication: exact figures from server/metrics, then the partnership's disclosure profile. */
import type { Db } from "../db/client";
import { getBoardReport, type BoardReport, type BoardReportParams } from "../server/metrics/boardReport";
import { readBoardDocument } from "./boardDocument";
import { boardReportPublication, publishedFromSuppression, refuseUnlessPassed, suppress, type DisclosureCheck, type DisclosureProfile, type PublishedBoardReport } from "./disclosure";
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

/**
 * The board report's figures: exact, or as published. A published report the attacker can read a
 * hidden figure from is refused (NotPublishableError), never handed out.
 */
export async function getBoardReportFor(db: Db, request: BoardReportRequest): Promise<BoardReport | PublishedWithDocumentCheck> {
  const { documentCheck, ...params } = request;
  const report = await getBoardReport(db, params);
  if (!params.published) return report;
  const profile = params.profile ?? (await profileFor(db, report.partnerships));
  const publication = boardReportPublication(report);
  const suppression = suppress(publication, profile);
  refuseUnlessPassed(suppression.check, `The ${report.quarter} board report for ${report.partnerships.join(", ")}`, "ask for the exact report (not for publication)");
  const published: PublishedWithDocumentCheck = publishedFromSuppression(report, publication, suppression, profile);
  // The document's verdict is shown before issuing even when it fails (the reports page says why it cannot be issued).
  if (documentCheck) published.documentCheck = (await readBoardDocument(db, { ...params, published: true })).disclosure!;
  return published;
}
