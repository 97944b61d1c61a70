/** The board report for publication: exact figures from server/metrics, then the partnership's disclosure profile. */
import type { Db } from "../db/client";
import { getBoardReport, type BoardReport, type BoardReportParams } from "../server/metrics/boardReport";
import { readDocumentFigures } from "./boardDocument";
import { refuseUnlessPassed, type DisclosureCheck, type DisclosureProfile, type PublishedBoardReport } from "./disclosure";
import { profileFor } from "./profile";

export { profileFor };

export interface BoardReportRequest extends BoardReportParams {
  /** Apply disclosure control (what may be published) instead of showing exact figures. */
  published?: boolean;
  /** Overrides the partnerships' own profile. */
  profile?: DisclosureProfile;
  /**
   * With `published`: also say how many of the whole board document's cells (trend, scrutiny, charts)
   * were hidden and whether it passed (what the reports page shows before issuing).
   */
  documentCheck?: boolean;
}

export type PublishedWithDocumentCheck = PublishedBoardReport & { documentCheck?: DisclosureCheck };

/**
 * The board report's figures: exact, or as published. Published, they are the board document's
 * (ADR 0021: one suppression over the document; the charts' months tie the report's cells to the
 * trend's quarters, so the report suppressed alone could hide less than the document does). A
 * published report the attacker can read a hidden figure from is refused (NotPublishableError),
 * never handed out.
 */
export async function getBoardReportFor(db: Db, request: BoardReportRequest): Promise<BoardReport | PublishedWithDocumentCheck> {
  const { documentCheck, ...params } = request;
  if (!params.published) return getBoardReport(db, params);
  const { run, suppression, figures } = await readDocumentFigures(db, { ...params, published: true });
  const check = suppression!.check;
  // The document's verdict is shown before issuing even when it fails (the reports page says why it cannot be issued).
  refuseUnlessPassed(check, `The ${run.report.quarter} board report for ${run.report.partnerships.join(", ")}`, "ask for the exact report (not for publication)");
  const published: PublishedWithDocumentCheck = figures as PublishedBoardReport;
  if (documentCheck) published.documentCheck = check;
  return published;
}
