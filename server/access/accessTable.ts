/**
 * The expected answer of every tRPC procedure for every role, kept beside the permission rules and
 * checked by tests/access-matrix.test.ts against the real router: a procedure missing here fails it.
 * The cases use the test world: partnership "north", whose agencies include CSC; every role below is
 * scoped to north (admin, board, scrutineer) or to CSC (agency_lead, uploader).
 */
export type Outcome = "allow" | "deny";
export type Who = "signed_out" | "admin" | "board" | "scrutineer" | "agency_lead" | "uploader";

const figures: Record<Who, Outcome> = { signed_out: "deny", admin: "allow", board: "allow", scrutineer: "allow", agency_lead: "deny", uploader: "deny" };
const anyone: Record<Who, Outcome> = { signed_out: "deny", admin: "allow", board: "allow", scrutineer: "allow", agency_lead: "allow", uploader: "allow" };

export const ACCESS_TABLE: Record<string, Record<Who, Outcome>> = {
  "partnerships.list": anyone,
  "agencies.list": anyone,
  "themes.list": anyone,
  "agencies.profile": { signed_out: "deny", admin: "allow", board: "allow", scrutineer: "allow", agency_lead: "allow", uploader: "deny" },
  "scrutiny.samples": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "allow", agency_lead: "allow", uploader: "deny" },
  "scrutiny.sample": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "allow", agency_lead: "deny", uploader: "deny" },
  "scrutiny.draw": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "allow", agency_lead: "deny", uploader: "deny" },
  "scrutiny.finding": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "allow", agency_lead: "deny", uploader: "deny" },
  "records.first": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "allow", agency_lead: "allow", uploader: "deny" },
  "records.get": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "allow", agency_lead: "allow", uploader: "deny" },
  "uploads.batches": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "allow", uploader: "allow" },
  "uploads.running": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "allow", uploader: "allow" },
  "uploads.undo": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "allow" },
  "metrics.trends": figures,
  "metrics.overview": figures,
  "metrics.breakdowns": figures,
  "metrics.dissent": figures,
  "metrics.agencyMatrix": figures,
  "metrics.overdue": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "allow", agency_lead: "deny", uploader: "deny" },
  "metrics.dataQuality": figures,
  "reports.board": figures,
  "reports.issue": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "reports.issued": figures,
  "reports.issuedReport": figures,
  "users.list": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "users.add": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "users.disable": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "users.reset": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "audit.list": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
};
