/**
 * Every route handler under app/api × every method × signed out and each role, against
 * ROUTE_ACCESS in server/access/accessTable.ts, through the handlers themselves with real sign-in
 * sessions (better-auth cookies) on this file's own database. The route files are found on disk: a
 * new route, or a new method, without a row here fails. Each is also tried on another partnership's
 * or agency's thing, which every role (scoped to north or to CSC) must be refused, answering for an
 * id outside scope exactly as for an id that does not exist.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../db/client";
import { closeSharedChromium } from "../reports/chromium";
import { createEvidenceReturn } from "../reports/evidence";
import { issueBoardReport } from "../reports/issuing";
import { ROUTE_ACCESS, type Outcome, type Who } from "../server/access/accessTable";
import { createAuth, getPrincipal } from "../server/access/auth";
import { addUser } from "../server/access/users";
import { drawScrutinySample } from "../server/scrutiny/samples";
import { serveThrough, type DoorDeclaration, type RouteHandler } from "../wiring/door";
import { useTestWarehouse } from "./support/db";
import { TEST_ADMIN } from "./support/principals";
import { escalationRow, importText, loadEscalations } from "./support/records";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
const SITE = "http://127.0.0.1:3000";
const PASSWORD = "route-matrix-password-1";
const WHOS: Who[] = ["signed_out", "admin", "board", "scrutineer", "agency_lead", "uploader"];
const ACCOUNTS: Record<Exclude<Who, "signed_out">, { role: string; scope: string }> = {
  admin: { role: "admin", scope: "north" },
  board: { role: "board", scope: "north" },
  scrutineer: { role: "scrutineer", scope: "north" },
  agency_lead: { role: "agency_lead", scope: "CSC" },
  uploader: { role: "uploader", scope: "CSC" },
};
const emailOf = (who: string) => `${who}@routes.example`;

let auth: ReturnType<typeof createAuth>;
const cookies = new Map<string, string>();
let restore: () => void;
const saved = { BETTER_AUTH_URL: process.env.BETTER_AUTH_URL, CHILD_REF_SECRET: process.env.CHILD_REF_SECRET, TRUST_PROXY: process.env.TRUST_PROXY };

/** Things in scope (north, CSC) and out of it (south, SCH), by name. */
const ids = { north: {} as Record<string, number>, south: {} as Record<string, number> };

// ---- the route files on disk ----

interface RouteFile {
  /** e.g. /api/uploads/[token] */
  pattern: string;
  methods: Map<string, RouteHandler>;
}

function routeFilesOnDisk(dir = path.join(process.cwd(), "app", "api")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFilesOnDisk(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const routes: RouteFile[] = [];

async function loadRoutes(): Promise<void> {
  for (const file of routeFilesOnDisk()) {
    const rel = path.relative(process.cwd(), file).split(path.sep).join("/");
    const module = (await import(/* @vite-ignore */ `../${rel}`)) as Record<string, unknown>;
    const methods = new Map<string, RouteHandler>();
    for (const method of METHODS) if (typeof module[method] === "function") methods.set(method, module[method] as RouteHandler);
    routes.push({ pattern: `/${rel.replace(/^app\//, "").replace(/\/route\.ts$/, "")}`, methods });
  }
  // As Next matches: a fixed segment before a parameter (/api/scrutiny/draw before /api/scrutiny/[id]).
  const dynamic = (r: RouteFile) => r.pattern.split("/").filter((p) => p.startsWith("[")).length;
  routes.sort((a, b) => dynamic(a) - dynamic(b));
}

/** The route file serving a path, and the path's parameters as Next gives them. */
function resolve(pathname: string): { route: RouteFile; params: Record<string, string | string[]> } {
  const parts = pathname.split("/").filter(Boolean);
  for (const route of routes) {
    const pattern = route.pattern.split("/").filter(Boolean);
    const params: Record<string, string | string[]> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i]!;
      if (p.startsWith("[...")) {
        params[p.slice(4, -1)] = parts.slice(i).map(decodeURIComponent);
        return { route, params };
      }
      if (p.startsWith("[")) params[p.slice(1, -1)] = decodeURIComponent(parts[i] ?? "");
      else if (p !== parts[i]) ok = false;
    }
    if (ok && pattern.length === parts.length) return { route, params };
  }
  throw new Error(`No route file serves ${pathname}`);
}

// ---- sending requests as someone ----

interface Ask {
  method: string;
  url: string;
  form?: Record<string, string | string[]>;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

async function send(who: Who | "all_admin", ask: Ask): Promise<Response> {
  const url = new URL(ask.url, SITE);
  const { route, params } = resolve(url.pathname);
  const handler = route.methods.get(ask.method);
  if (!handler) throw new Error(`${route.pattern} has no ${ask.method}`);
  const headers = new Headers({ host: "127.0.0.1:3000", ...(ask.headers ?? {}) });
  if (ask.method !== "GET" && !headers.has("origin")) headers.set("origin", SITE);
  const cookie = who === "signed_out" ? undefined : cookies.get(who);
  if (cookie) headers.set("cookie", cookie);
  let body: BodyInit | undefined = ask.body;
  if (ask.form) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(ask.form)) for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
    body = form;
  }
  if (ask.json !== undefined) {
    body = JSON.stringify(ask.json);
    headers.set("content-type", "application/json");
  }
  return handler(new Request(url, { method: ask.method, headers, body }), { params: Promise.resolve(params) });
}

async function outcome(who: Who, response: Response): Promise<Outcome | string> {
  if (response.status < 400) return "allow";
  if (response.status === 401 && who === "signed_out") return "deny";
  if ((response.status === 403 || response.status === 404) && who !== "signed_out") return "deny";
  return `${response.status}: ${(await response.text()).slice(0, 300)}`;
}

// ---- what each row asks for ----

const CONFERENCES = "month,initial_conferences,review_conferences\n2025-10,1,2\n";

/** Receives an upload as the given account and waits for its check to finish; its token. */
async function checkedUpload(who: "admin" | "all_admin", agency: string): Promise<string> {
  const response = await send(who, { method: "POST", url: `/api/uploads?kind=conference_activity&agency=${agency}&fileName=activity.csv`, body: CONFERENCES, headers: { "content-type": "text/csv" } });
  expect(response.status).toBe(202);
  const { token } = (await response.json()) as { token: string };
  await settled(who, token);
  return token;
}

async function settled(who: Who | "all_admin", token: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const progress = (await (await send(who, { method: "GET", url: `/api/uploads/${token}` })).json()) as { progress?: { step: string } };
    if (progress.progress && !["checking", "loading"].includes(progress.progress.step)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`upload ${token} did not settle`);
}

const filters = (p: string) => `partnership=${p}&quarter=2025-Q4&from=2025-Q4&asOf=2026-01-15`;
const tokens: string[] = [];

/** Per row: the request in scope (north, CSC) and the same request on another's thing (south, SCH). */
const ASKS: Record<string, { ask: (who: Who) => Promise<Ask> | Ask; cross?: () => Promise<Ask> | Ask; missing?: Ask }> = {
  "GET /api/audit/export": { ask: () => ({ method: "GET", url: "/api/audit/export?outcome=refused" }) },
  "GET /api/auth/[...all]": { ask: () => ({ method: "GET", url: "/api/auth/get-session" }) },
  "POST /api/auth/[...all]": {
    // Each signs in afresh as the board member, from an address of its own (sign-in is limited per address).
    ask: (who) => ({ method: "POST", url: "/api/auth/sign-in/email", json: { email: emailOf("board"), password: PASSWORD }, headers: { "x-forwarded-for": `10.0.0.${WHOS.indexOf(who) + 1}` } }),
  },
  "GET /api/downloads/[dataset] trends": { ask: () => ({ method: "GET", url: `/api/downloads/trends?${filters("north")}` }), cross: () => ({ method: "GET", url: `/api/downloads/trends?${filters("south")}` }) },
  "GET /api/downloads/[dataset] records": { ask: () => ({ method: "GET", url: `/api/downloads/records?${filters("north")}&format=arrow` }), cross: () => ({ method: "GET", url: `/api/downloads/records?${filters("south")}` }) },
  "GET /api/downloads/[dataset] overdue": { ask: () => ({ method: "GET", url: `/api/downloads/overdue?${filters("north")}` }), cross: () => ({ method: "GET", url: `/api/downloads/overdue?${filters("south")}` }) },
  "POST /api/evidence": {
    ask: () => ({ method: "POST", url: "/api/evidence", form: { agency: "CSC", from: "2025-Q3", to: "2025-Q4", awareness: "Briefings" } }),
    cross: () => ({ method: "POST", url: "/api/evidence", form: { agency: "SCH", from: "2025-Q3", to: "2025-Q4" } }),
  },
  "GET /api/evidence/[id]": {
    ask: () => ({ method: "GET", url: `/api/evidence/${ids.north.evidence}?format=docx` }),
    cross: () => ({ method: "GET", url: `/api/evidence/${ids.south.evidence}?format=docx` }),
    missing: { method: "GET", url: "/api/evidence/999999?format=docx" },
  },
  "POST /api/evidence/[id]/issue": {
    ask: () => ({ method: "POST", url: `/api/evidence/${ids.north.evidence}/issue` }),
    cross: () => ({ method: "POST", url: `/api/evidence/${ids.south.evidence}/issue` }),
    missing: { method: "POST", url: "/api/evidence/999999/issue" },
  },
  "GET /api/records": { ask: () => ({ method: "GET", url: `/api/records?${filters("north")}` }), cross: () => ({ method: "GET", url: `/api/records?${filters("south")}` }) },
  "GET /api/reports/board": { ask: () => ({ method: "GET", url: "/api/reports/board?partnership=north&quarter=2025-Q4&asOf=2026-01-15&format=html" }), cross: () => ({ method: "GET", url: "/api/reports/board?partnership=south&quarter=2025-Q4&format=html" }) },
  "POST /api/reports/issue": { ask: () => ({ method: "POST", url: "/api/reports/issue", form: { partnership: "north", quarter: "2025-Q4" } }), cross: () => ({ method: "POST", url: "/api/reports/issue", form: { partnership: "south", quarter: "2025-Q4" } }) },
  "GET /api/reports/issued/[id]": {
    ask: () => ({ method: "GET", url: `/api/reports/issued/${ids.north.report}?format=docx` }),
    cross: () => ({ method: "GET", url: `/api/reports/issued/${ids.south.report}?format=docx` }),
    missing: { method: "GET", url: "/api/reports/issued/999999?format=docx" },
  },
  "GET /api/scrutiny/[id]": {
    ask: () => ({ method: "GET", url: `/api/scrutiny/${ids.north.sample}` }),
    cross: () => ({ method: "GET", url: `/api/scrutiny/${ids.south.sample}` }),
    missing: { method: "GET", url: "/api/scrutiny/999999" },
  },
  "POST /api/scrutiny/draw": {
    ask: () => ({ method: "POST", url: "/api/scrutiny/draw", form: { partnership: "north", from: "2025-Q4", quarter: "2025-Q4", size: "1", seed: "3", theme: "" } }),
    cross: () => ({ method: "POST", url: "/api/scrutiny/draw", form: { partnership: "south", from: "2025-Q4", quarter: "2025-Q4", size: "1" } }),
  },
  "POST /api/scrutiny/finding": {
    ask: () => ({ method: "POST", url: "/api/scrutiny/finding", form: { sample: String(ids.north.sample), position: "1", rating: "good", note: "" } }),
    cross: () => ({ method: "POST", url: "/api/scrutiny/finding", form: { sample: String(ids.south.sample), position: "1", rating: "good" } }),
    missing: { method: "POST", url: "/api/scrutiny/finding", form: { sample: "999999", position: "1", rating: "good" } },
  },
  "GET /api/trpc/[trpc]": { ask: () => ({ method: "GET", url: "/api/trpc/partnerships.list" }) },
  "POST /api/trpc/[trpc]": {
    ask: () => ({ method: "POST", url: "/api/trpc/scrutiny.finding", json: { json: { sampleId: ids.north.sample, position: 1, rating: "good", note: "" } } }),
    cross: () => ({ method: "POST", url: "/api/trpc/scrutiny.finding", json: { json: { sampleId: ids.south.sample, position: 1, rating: "good", note: "" } } }),
  },
  "POST /api/uploads": {
    ask: () => ({ method: "POST", url: "/api/uploads?kind=conference_activity&agency=CSC&fileName=a.csv", body: CONFERENCES, headers: { "content-type": "text/csv" } }),
    cross: () => ({ method: "POST", url: "/api/uploads?kind=conference_activity&agency=SCH&fileName=a.csv", body: CONFERENCES, headers: { "content-type": "text/csv" } }),
  },
  "GET /api/uploads/[token]": { ask: async () => ({ method: "GET", url: `/api/uploads/${await checkedUpload("admin", "CSC")}` }), cross: async () => ({ method: "GET", url: `/api/uploads/${await checkedUpload("all_admin", "SCH")}` }), missing: { method: "GET", url: "/api/uploads/0123456789abcdef0123456789abcdef" } },
  "POST /api/uploads/[token]": { ask: async () => ({ method: "POST", url: `/api/uploads/${await checkedUpload("admin", "CSC")}` }), cross: async () => ({ method: "POST", url: `/api/uploads/${await checkedUpload("all_admin", "SCH")}` }) },
  "DELETE /api/uploads/[token]": { ask: async () => ({ method: "DELETE", url: `/api/uploads/${await checkedUpload("admin", "CSC")}` }), cross: async () => ({ method: "DELETE", url: `/api/uploads/${await checkedUpload("all_admin", "SCH")}` }) },
  "GET /api/uploads/batches/[id]/rejects": {
    ask: () => ({ method: "GET", url: `/api/uploads/batches/${ids.north.batch}/rejects` }),
    cross: () => ({ method: "GET", url: `/api/uploads/batches/${ids.south.batch}/rejects` }),
    missing: { method: "GET", url: "/api/uploads/batches/999999/rejects" },
  },
  "GET /api/uploads/templates/[kind]": { ask: () => ({ method: "GET", url: "/api/uploads/templates/dissent.csv" }) },
};

/** Remembers the tokens an answer names, so every upload started here is followed to its end. */
async function remember(response: Response): Promise<void> {
  if (response.status !== 202 || !response.headers.get("content-type")?.includes("json")) return;
  const body = (await response.clone().json()) as { token?: string };
  if (body.token) tokens.push(body.token);
}

beforeAll(async () => {
  process.env.BETTER_AUTH_URL = SITE;
  process.env.CHILD_REF_SECRET = "route-matrix-child-ref-secret-0123456789";
  delete process.env.TRUST_PROXY;
  await loadSmallWorld(ctx.db);
  auth = createAuth(ctx.db, { secret: "route-matrix-auth-secret-route-matrix-01", baseURL: SITE });
  restore = serveThrough({ db: async () => ctx.db, uploadsDb: async () => ctx.db, auth: async () => auth, principal: (req) => getPrincipal(ctx.db, auth, req.headers) });
  for (const [who, account] of [...Object.entries(ACCOUNTS), ["all_admin", { role: "admin", scope: "all" }] as const]) {
    await addUser(ctx.db, auth, { email: emailOf(who), role: account.role as never, scope: account.scope }, "test", PASSWORD);
    const response = await auth.api.signInEmail({ body: { email: emailOf(who), password: PASSWORD }, asResponse: true });
    cookies.set(who, response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "));
  }
  // North: CSC raised one escalation with HLT; CSC uploaded conference activity (its batch has one reject).
  await loadEscalations(ctx.db, "CSC", [escalationRow({ record_ref: "N1", partnership: "north", raising_agency: "CSC", receiving_agency: "HLT", concern_arose_on: "2025-11-03" })]);
  await loadEscalations(ctx.db, "SCH", [escalationRow({ record_ref: "S1", partnership: "south", raising_agency: "SCH", receiving_agency: "HLT", concern_arose_on: "2025-11-03" })]);
  for (const [side, agency] of [["north", "CSC"], ["south", "SCH"]] as const) {
    const batch = await importText(ctx.db, "month,initial_conferences,review_conferences\n2025-11,1,2\n2025-13,1,1\n", { kind: "conference_activity", agency });
    ids[side].batch = batch.batchId!;
    const partnership = side;
    ids[side].sample = (await drawScrutinySample(ctx.db, TEST_ADMIN, { partnerships: [partnership], from: "2025-Q4", to: "2025-Q4", themes: [], size: 1, seed: 1 })).id;
    ids[side].report = (await issueBoardReport(ctx.db, TEST_ADMIN, { partnerships: [partnership], quarter: "2025-Q4", asOf: "2026-01-15" })).id;
    ids[side].evidence = (await createEvidenceReturn(ctx.db, TEST_ADMIN, { agency, from: "2025-Q3", to: "2025-Q4", answers: {} })).id;
  }
  await loadRoutes();
});

afterAll(async () => {
  for (const token of tokens) await settled("all_admin", token).catch(() => {});
  restore?.();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await closeSharedChromium();
});

describe("the route matrix", () => {
  it("has a row for every method of every route file on disk, and every handler came through the door", () => {
    const onDisk = routes.flatMap((r) => [...r.methods.keys()].map((m) => `${m} ${r.pattern}`)).sort();
    const rows = [...new Set(Object.keys(ROUTE_ACCESS).map((k) => k.split(" ").slice(0, 2).join(" ")))].sort();
    expect(onDisk).toEqual(rows);
    const undeclared = routes.flatMap((r) => [...r.methods].filter(([, h]) => !(h as { door?: DoorDeclaration }).door).map(([m]) => `${m} ${r.pattern}`));
    expect(undeclared).toEqual([]);
    expect(Object.keys(ASKS).sort()).toEqual(Object.keys(ROUTE_ACCESS).sort());
  });

  it.each(Object.keys(ROUTE_ACCESS))("%s answers each role as the table says", async (row) => {
    const answers: Record<string, Outcome | string> = {};
    for (const who of WHOS) {
      const response = await send(who, await ASKS[row]!.ask(who));
      await remember(response);
      answers[who] = await outcome(who, response);
    }
    expect(answers).toEqual(ROUTE_ACCESS[row]);
  });

  const crossRows = Object.keys(ASKS).filter((row) => ASKS[row]!.cross);
  it.each(crossRows)("%s refuses every role on another partnership's or agency's thing", async (row) => {
    const answers: Record<string, Outcome | string> = {};
    for (const who of WHOS) {
      const response = await send(who, await ASKS[row]!.cross!());
      await remember(response);
      answers[who] = await outcome(who, response);
    }
    expect(answers).toEqual(Object.fromEntries(WHOS.map((w) => [w, "deny"])));
  });

  const idRows = Object.keys(ASKS).filter((row) => ASKS[row]!.missing);
  it.each(idRows)("%s answers an id outside one's scope exactly as an id that does not exist", async (row) => {
    // The admin of north asks for south's thing and for a thing that does not exist: the same 404 but for the id itself.
    const cross = await send("admin", await ASKS[row]!.cross!());
    const missing = await send("admin", ASKS[row]!.missing!);
    expect(cross.status).toBe(404);
    expect(missing.status).toBe(404);
    // The same words but for the id itself (and the as-of date a record's answer names).
    const words = (text: string) => text.replace(/\b\d+\b|[0-9a-f]{32}/g, "ID");
    expect(words(await cross.text())).toBe(words(await missing.text()));
  });
});

describe("the door", () => {
  const issue = { method: "POST", url: "/api/reports/issue", form: { partnership: "north", quarter: "2025-Q4" } };

  it.each([
    ["another site", "https://evil.example"],
    ["the null origin", "null"],
    ["an origin that is not an address", "garbage"],
    ["a script origin", "javascript:alert(1)"],
  ])("refuses a mutation from %s with 403, and audits it", async (_what, origin) => {
    const response = await send("admin", { ...issue, headers: { origin } });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toMatch(/did not come from this site's own pages/);
    const [row] = await queryRows<{ actor: string; details: { origin: string } }>(ctx.db, sql`select actor, details from audit_log where action = 'access.origin' order by id desc limit 1`);
    expect(row).toEqual({ actor: emailOf("admin"), details: { method: "POST", path: "/api/reports/issue", origin } });
  });

  it("believes X-Forwarded-Host only when the deployment says it is behind a proxy", async () => {
    process.env.BETTER_AUTH_URL = "";
    try {
      const forged = { ...issue, headers: { origin: "https://evil.example", "x-forwarded-host": "evil.example" } };
      expect((await send("admin", forged)).status).toBe(403);
      process.env.TRUST_PROXY = "1";
      // Behind a proxy that sets it, the forwarded host is the site's address.
      expect((await send("admin", { ...issue, headers: { origin: "https://warehouse.example", "x-forwarded-host": "warehouse.example" } })).status).toBe(303);
    } finally {
      delete process.env.TRUST_PROXY;
      process.env.BETTER_AUTH_URL = SITE;
    }
  });

  it.each([
    ["JSON", { json: { partnership: "north", quarter: "2025-Q4" } }],
    ["plain text", { body: "partnership=north", headers: { "content-type": "text/plain" } }],
    ["no body", {}],
  ])("answers a form route sent %s with 415, naming what it takes", async (_what, extra) => {
    for (const url of ["/api/reports/issue", "/api/evidence", "/api/scrutiny/draw", "/api/scrutiny/finding"]) {
      const response = await send("admin", { method: "POST", url, ...extra });
      expect(response.status, url).toBe(415);
      expect(((await response.json()) as { error: string }).error).toMatch(/takes a form sent from its page/);
    }
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])("answers the dataset %s with 404", async (name) => {
    const response = await send("admin", { method: "GET", url: `/api/downloads/${name}?${filters("north")}` });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: `There is no dataset "${name}" to download.` });
  });

  it.each([
    ["9999-12-31", `/api/records?${filters("north").replace("2026-01-15", "9999-12-31")}`, /asOf: "9999-12-31" is outside the calendar the warehouse covers \(2015-01-01 to 2030-12-31\)/],
    ["0001-01-01", `/api/reports/board?partnership=north&quarter=2025-Q4&asOf=0001-01-01`, /asOf: "0001-01-01" is outside the calendar/],
    ["2026-02-30", `/api/downloads/trends?${filters("north").replace("2026-01-15", "2026-02-30")}`, /asOf: "2026-02-30" is not a real date/],
    ["id 0", "/api/reports/issued/0", /id: "0" is not an issued report's number \(numbers start at 1\)/],
    ["id 1e3", "/api/scrutiny/1e3", /id: "1e3" is not a sample's number/],
    ["quarter 2026-Q5", "/api/reports/board?partnership=north&quarter=2026-Q5", /quarter: "2026-Q5" is not a quarter written like 2025-Q3/],
    // A run of quarters whose end is no quarter (the probe found this one answering 500).
    ["quarter 2026-Q9 on a download", "/api/downloads/trends?partnership=north&quarter=2026-Q9", /quarter: "2026-Q9" is not a quarter written like 2025-Q3/],
    ["from 2026-Q0 on the records", "/api/records?partnership=north&quarter=2025-Q4&from=2026-Q0", /from: "2026-Q0" is not a quarter written like 2025-Q3/],
    ["a long action", `/api/audit/export?action=${"x".repeat(500)}`, /action is longer than 60 characters/],
    ["an audit date 2026-13-45", "/api/audit/export?from=2026-13-45", /from: "2026-13-45" is not a real date/],
  ])("answers %s with a 400 naming it", async (_what, url, message) => {
    const response = await send("admin", { method: "GET", url });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it("answers a tRPC input outside the calendar with a 400 in plain English, and record-level answers are never cached", async () => {
    const input = encodeURIComponent(JSON.stringify({ json: { partnerships: ["north"], asOf: "9999-12-31" } }));
    const response = await send("scrutineer", { method: "GET", url: `/api/trpc/metrics.overdue?input=${input}` });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('asOf: \\"9999-12-31\\" is outside the calendar the warehouse covers');
    expect(text).not.toMatch(/stack|TypeError|RangeError|select |"issues"/);
    const ok = await send("scrutineer", { method: "GET", url: `/api/trpc/metrics.overdue?input=${encodeURIComponent(JSON.stringify({ json: { partnerships: ["north"], asOf: "2026-01-15" } }))}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
  });

  it("audits a sign-in refused for too many tries", async () => {
    const attempt = () => send("signed_out", { method: "POST", url: "/api/auth/sign-in/email", json: { email: emailOf("board"), password: "wrong-password-123" }, headers: { "x-forwarded-for": "10.9.9.9" } });
    const statuses: number[] = [];
    // Five tries a minute per address (server/access/auth.ts): the sixth is refused.
    for (let i = 0; i < 6; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const [row] = await queryRows<{ action: string; outcome: string }>(ctx.db, sql`select action, outcome from audit_log where details->>'reason' = 'too many attempts' order by id desc limit 1`);
    expect(row).toEqual({ action: "sign_in", outcome: "refused" });
  });

  it("refuses north's admin uploading or writing a return for POL, which south shares; an admin for all may", async () => {
    const upload = { method: "POST", url: "/api/uploads?kind=conference_activity&agency=POL&fileName=a.csv", body: CONFERENCES, headers: { "content-type": "text/csv" } };
    expect((await send("admin", upload)).status).toBe(403);
    expect((await send("admin", { method: "POST", url: "/api/evidence", form: { agency: "POL", from: "2025-Q3", to: "2025-Q4" } })).status).toBe(403);
    const allowed = await send("all_admin", upload);
    await remember(allowed);
    expect(allowed.status).toBe(202);
  });

  it("exports to a partnership's admin only the audit rows within its scope", async () => {
    await queryRows(ctx.db, sql`insert into audit_log (actor, action, scope, details, outcome) values
      ('someone@south.example', 'test.south_only', '{"partnerships":["south"]}', '{}', 'success'),
      ('someone@north.example', 'test.north_only', '{"partnerships":["north"]}', '{}', 'success')`);
    const northAdmin = await (await send("admin", { method: "GET", url: "/api/audit/export?action=test." })).text();
    const allAdmin = await (await send("all_admin", { method: "GET", url: "/api/audit/export?action=test." })).text();
    expect([northAdmin.includes("test.north_only"), northAdmin.includes("test.south_only")]).toEqual([true, false]);
    expect([allAdmin.includes("test.north_only"), allAdmin.includes("test.south_only")]).toEqual([true, true]);
  });

  it("limits failed sign-ins per account when each try names a new address, even with the right password after", async () => {
    const tryAs = (i: number, password: string) =>
      send("signed_out", { method: "POST", url: "/api/auth/sign-in/email", json: { email: emailOf("SCRUTINEER"), password }, headers: { "x-forwarded-for": `10.8.0.${i}` } });
    const statuses: number[] = [];
    // Five wrong passwords from five addresses; the sixth try (a sixth address, the right password) waits a minute.
    for (let i = 1; i <= 5; i++) statuses.push((await tryAs(i, "wrong-password-123")).status);
    const sixth = await tryAs(6, PASSWORD);
    statuses.push(sixth.status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(((await sixth.json()) as { message: string }).message).toMatch(/Too many failed sign-ins to this account/);
    const [row] = await queryRows<{ actor: string }>(ctx.db, sql`select actor from audit_log where details->>'reason' = 'too many attempts' order by id desc limit 1`);
    expect(row).toEqual({ actor: emailOf("scrutineer") });
  });
});
