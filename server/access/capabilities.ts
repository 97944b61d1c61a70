/**
 * What the signed-in person may do, worked out once per request from the permission rules
 * (permissions.ts) so that pages and the navigation read one object instead of asking the rules
 * themselves. Lists are partnership or agency codes, or "all"; questions about one target are
 * functions (they may need the database, e.g. which partnerships an agency belongs to).
 */
import type { Db } from "../../db/client";
import { agenciesFor, isAllowed, partnershipsFor, type Principal, type Target } from "./permissions";
import { recordPartnershipsFor } from "./recordScope";
import { sectionsFor, type Section } from "./sections";

export type Codes = string[] | "all";

export interface Capabilities {
  /** Partnerships whose figures and reports the person may read. */
  figurePartnerships: Codes;
  /** Partnerships whose records the person may open (in full, or an agency lead's own agency's). */
  recordPartnerships: Codes;
  /** Agencies the person may upload for (and undo their uploads). */
  uploadAgencies: Codes;
  /** Agencies whose upload history and rejects the person may read. */
  readUploadAgencies: Codes;
  /** The agencies the person leads (an agency lead lands on its profile). */
  ledAgencies: string[];
  mayManageUsers: boolean;
  /** A business manager: sets up partnerships and agencies (the reference data, from the command line). */
  maySetUpPartnerships: boolean;
  mayReadAudit: boolean;
  /** The parts of the dashboard the navigation shows. */
  sections: Section[];
  mayIssueReports(partnerships: string[]): Promise<boolean>;
  mayReadRecords(target: Target): Promise<boolean>;
  mayWriteEvidence(agency: string): Promise<boolean>;
}

/** True when a list of codes holds none. */
export const noneIn = (codes: Codes): boolean => codes !== "all" && codes.length === 0;

/** True when a list of codes holds this one (agency codes compare without case). */
export const holds = (codes: Codes, code: string): boolean => codes === "all" || codes.some((c) => c.toLowerCase() === code.toLowerCase());

export async function capabilitiesOf(db: Db, principal: Principal): Promise<Capabilities> {
  const [recordPartnerships, uploadAgencies, readUploadAgencies, mayManageUsers, mayReadAudit] = [
    await recordPartnershipsFor(db, principal),
    await agenciesFor(db, principal, "uploads.write"),
    await agenciesFor(db, principal, "uploads.read"),
    await isAllowed(db, principal, "users.manage"),
    await isAllowed(db, principal, "audit.read"),
  ];
  return {
    figurePartnerships: partnershipsFor(principal, "figures.read"),
    recordPartnerships,
    uploadAgencies,
    readUploadAgencies,
    ledAgencies: principal.grants.filter((g) => g.role === "agency_lead" && g.agency).map((g) => g.agency!),
    mayManageUsers,
    maySetUpPartnerships: principal.grants.some((g) => g.role === "admin"),
    mayReadAudit,
    sections: sectionsFor(principal),
    // An empty list of partnerships is "nothing to issue", never "any partnership".
    mayIssueReports: async (partnerships) => partnerships.length > 0 && isAllowed(db, principal, "reports.issue", { partnerships }),
    mayReadRecords: async (target) => (Boolean(target.agency) || (target.partnerships?.length ?? 0) > 0) && isAllowed(db, principal, "records.read", target),
    mayWriteEvidence: async (agency) => isAllowed(db, principal, "evidence.write", { agency }),
  };
}
