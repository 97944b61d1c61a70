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
  "partnerships.procedureVersions": anyone,
  "agencies.list": anyone,
  "themes.list": anyone,
  "agencies.profile": { signed_out: "deny", admin: "allow", board: "allow", scrutineer: "allow", agency_lead: "allow", uploader: "deny" },
  "evidence.returns": { signed_out: "deny", admin: "allow", board: "allow", scrutineer: "allow", agency_lead: "allow", uploader: "deny" },
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
  "reference.setup": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "reference.partnerships": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "reference.savePartnership": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "reference.previewVersion": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "reference.saveVersion": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "reference.deleteVersion": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "reference.agencies": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "reference.saveAgency": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "reference.saveThemes": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  "reference.bankHolidays": { signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
  // Bank holidays are every partnership's: only an admin for all partnerships (none of the roles here) changes them.
  "reference.saveBankHolidays": { signed_out: "deny", admin: "deny", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny" },
};

/**
 * The expected answer of every route handler under app/api for every role, by method and path
 * pattern (a dataset's rows by dataset): tests/route-matrix.test.ts finds the route files on disk and
 * fails for any method without a row here. "allow" is a 2xx or 3xx answer; "deny" is 401 signed out,
 * and 403 or 404 signed in. Every row is also tried against another partnership's or agency's thing,
 * which every role here (all scoped to north or CSC) must be refused.
 */
const admin = (over: Partial<Record<Who, Outcome>> = {}): Record<Who, Outcome> => ({ signed_out: "deny", admin: "allow", board: "deny", scrutineer: "deny", agency_lead: "deny", uploader: "deny", ...over });

export const ROUTE_ACCESS: Record<string, Record<Who, Outcome>> = {
  "GET /api/audit/export": admin(),
  "GET /api/auth/[...all]": { ...anyone, signed_out: "allow" },
  "POST /api/auth/[...all]": { ...anyone, signed_out: "allow" },
  "GET /api/downloads/[dataset] trends": figures,
  "GET /api/downloads/[dataset] records": admin({ scrutineer: "allow", agency_lead: "allow" }),
  "GET /api/downloads/[dataset] overdue": admin({ scrutineer: "allow" }),
  "POST /api/evidence": admin({ agency_lead: "allow" }),
  "GET /api/evidence/[id]": { ...figures, agency_lead: "allow" },
  "POST /api/evidence/[id]/issue": admin(),
  "GET /api/records": admin({ scrutineer: "allow", agency_lead: "allow" }),
  "GET /api/reports/board": figures,
  "POST /api/reports/issue": admin(),
  "GET /api/reports/issued/[id]": figures,
  "GET /api/scrutiny/[id]": admin({ scrutineer: "allow" }),
  "POST /api/scrutiny/draw": admin({ scrutineer: "allow" }),
  "POST /api/scrutiny/finding": admin({ scrutineer: "allow" }),
  "GET /api/trpc/[trpc]": anyone,
  "POST /api/trpc/[trpc]": admin({ scrutineer: "allow" }),
  "POST /api/uploads": admin({ uploader: "allow" }),
  "GET /api/uploads/[token]": admin({ uploader: "allow" }),
  "POST /api/uploads/[token]": admin({ uploader: "allow" }),
  "DELETE /api/uploads/[token]": admin({ uploader: "allow" }),
  "GET /api/uploads/batches/[id]/rejects": admin({ agency_lead: "allow", uploader: "allow" }),
  "GET /api/uploads/templates/[kind]": anyone,
};
