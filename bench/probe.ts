/**
 * The outsider's probe (issue 16): hostile HTTP requests against the running product, by category,
 * each of which must HOLD: a 401/403/404/400/409/429 with a plain-English message (JSON, or the
 * page's own message), never a 500, never a stack/SQL/internal message, never a success or a leak
 * where there should be none.
 *
 *   npx tsx bench/probe.ts [--tree PATH] [--keep] [--only 1,2,...] [--timeout MS]
 *   npx tsx bench/probe.ts --url URL --accounts FILE.json [--only ...]
 *
 * Without --url it sets up its own world from the built tree (PATH, default the current
 * directory; build it first with `NEXT_TELEMETRY_DISABLED=1 npx next build`): a fresh embedded data
 * folder in a temporary directory, the demo data (scripts/demo.ts, run from that directory so the
 * demo takes it as the default data folder), passwords it chooses for the demo users and the extra
 * cross-scope users it adds (scripts/cli.ts users reset/add --password-stdin), then `next start` on a
 * free port of 127.0.0.1, signs every account in through POST /api/auth/sign-in/email, probes, stops
 * the app and removes the directory (--keep leaves it, and says where).
 *
 * With --url it probes a running app; FILE.json maps the account keys of ACCOUNTS below to
 * {"email","password"} (accounts left out skip the probes that need them). It writes to that app:
 * it issues reports, draws samples, stores evidence returns and tries takeovers. Never point it at
 * a deployment people use.
 *
 * Categories: 1 signed out, 2 cross-scope, 3 same answer for not-yours and missing, 4 open
 * redirects at sign-in (headless /usr/bin/chromium via playwright-core), 5 origin, 6 bad input,
 * 7 headers, 8 rate limiting. Prints tried / held / failed per category and every failure (method,
 * path, account, what was expected, status and the first 200 characters of the answer). Exit code
 * 1 when anything failed, 2 when the probe itself could not run.
 *
 * Sign-ins during setup carry an X-Forwarded-For of their own so the five-a-minute limit per
 * address does not stop the probe; when the app (rightly) ignores it, the probe waits out the limit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { freePort } from "../tests/support/app";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    tree: { type: "string" },
    accounts: { type: "string" },
    keep: { type: "boolean", default: false },
    only: { type: "string" },
    timeout: { type: "string", default: "30000" },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log("npx tsx bench/probe.ts [--tree PATH] [--keep] [--only 1,2,...] [--timeout MS]\nnpx tsx bench/probe.ts --url URL --accounts FILE.json");
  process.exit(0);
}
const TIMEOUT_MS = Number(args.timeout) || 30_000;
const TREE = path.resolve(args.tree ?? process.cwd());
const ONLY = args.only ? new Set(args.only.split(",").map((s) => s.trim())) : null;
const wanted = (category: string) => !ONLY || ONLY.has(category.split(" ")[0]!);
let APP = args.url?.replace(/\/$/, "") ?? "";

// ---------------------------------------------------------------------------------------------
// Accounts: the demo's five (one per role) and the cross-scope ones this probe adds.

interface Account {
  key: string;
  email: string;
  role: string;
  scope: string;
  /** Added by the probe (the demo's own are only given a new password). */
  added: boolean;
  /** Signed in before probing (victims are only signed in to see they still can). */
  signIn: boolean;
  password?: string;
  cookie?: string;
}

const ACCOUNTS: Account[] = [
  { key: "admin", email: "admin@demo.example", role: "admin", scope: "all", added: false, signIn: true },
  { key: "board", email: "board@demo.example", role: "board", scope: "hampshire,isle-of-wight,portsmouth,southampton", added: false, signIn: true },
  { key: "scrutineer", email: "scrutineer@demo.example", role: "scrutineer", scope: "all", added: false, signIn: true },
  { key: "lead", email: "lead@demo.example", role: "agency_lead", scope: "HIOWC", added: false, signIn: true },
  { key: "uploader", email: "uploader@demo.example", role: "uploader", scope: "HCC-CS", added: false, signIn: true },
  { key: "hantsAdmin", email: "probe-admin-hampshire@probe.example", role: "admin", scope: "hampshire", added: true, signIn: true },
  { key: "hantsScrutineer", email: "probe-scrutineer-hampshire@probe.example", role: "scrutineer", scope: "hampshire", added: true, signIn: true },
  { key: "oxLead", email: "probe-lead-tvp@probe.example", role: "agency_lead", scope: "TVP", added: true, signIn: true },
  { key: "oxUploader", email: "probe-uploader-occ@probe.example", role: "uploader", scope: "OCC-CS", added: true, signIn: true },
  { key: "hhftUploader", email: "probe-uploader-hhft@probe.example", role: "uploader", scope: "HHFT", added: true, signIn: true },
  { key: "victim", email: "probe-victim-oxfordshire@probe.example", role: "board", scope: "oxfordshire", added: true, signIn: false },
  { key: "victim2", email: "probe-victim2-oxfordshire@probe.example", role: "board", scope: "oxfordshire", added: true, signIn: false },
  { key: "originVictim", email: "probe-origin-victim@probe.example", role: "board", scope: "oxfordshire", added: true, signIn: false },
  { key: "redirect", email: "probe-redirect@probe.example", role: "board", scope: "hampshire", added: true, signIn: false },
  { key: "rate", email: "probe-rate@probe.example", role: "board", scope: "hampshire", added: true, signIn: false },
];
const account = (key: string): Account | undefined => ACCOUNTS.find((a) => a.key === key && a.password);

// ---------------------------------------------------------------------------------------------
// Requests.

interface Answer {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  body: string;
  location: string | null;
}

interface SendOptions {
  as?: Account;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
  /** The Origin header of a mutation: the app's own unless given; null sends none. */
  origin?: string | null;
  timeoutMs?: number;
}

let xffCounter = 0;
/** An address of its own for a sign-in (see the header comment). */
const freshAddress = () => `10.${77 + Math.floor(xffCounter / 65025)}.${Math.floor(xffCounter / 255) % 255}.${(xffCounter++ % 255) + 1}`;

async function send(method: string, target: string, o: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.as?.cookie) headers.cookie = o.as.cookie;
  if (method !== "GET" && method !== "HEAD" && o.origin !== null && !Object.keys(headers).some((h) => h.toLowerCase() === "origin")) headers.origin = o.origin ?? APP;
  if (o.contentType) headers["content-type"] = o.contentType;
  try {
    const response = await fetch(APP + target, { method, headers, body: o.body, redirect: "manual", signal: AbortSignal.timeout(o.timeoutMs ?? TIMEOUT_MS) });
    const bytes = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get("content-type") ?? "";
    const body = !type || /json|text|html|csv|xml|javascript/.test(type) ? bytes.toString("utf8") : `<${bytes.length} bytes of ${type}>`;
    return { method, path: target, status: response.status, headers: response.headers, body, location: response.headers.get("location") };
  } catch (error) {
    return { method, path: target, status: 0, headers: new Headers(), body: `no answer: ${(error as Error).message}`, location: null };
  }
}

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body;
};
const postForm = (target: string, fields: Record<string, string | string[]>, o: SendOptions = {}) =>
  send("POST", target, { ...o, body: form(fields).toString(), contentType: "application/x-www-form-urlencoded" });

// tRPC v11 over HTTP, unbatched, superjson (app/trpc-client.ts): inputs are {json: input}.
type Kind = "query" | "mutation";
const trpcInput = (input: unknown) => (input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
function trpc(kind: Kind, procedure: string, input: unknown, o: SendOptions = {}): Promise<Answer> {
  if (kind === "query") return send("GET", `/api/trpc/${procedure}${trpcInput(input)}`, o);
  return send("POST", `/api/trpc/${procedure}`, { ...o, body: JSON.stringify(input === undefined ? {} : { json: input }), contentType: "application/json" });
}
function trpcData(answer: Answer): unknown {
  try {
    return (JSON.parse(answer.body) as { result?: { data?: { json?: unknown } } }).result?.data?.json;
  } catch {
    return undefined;
  }
}

async function signIn(email: string, password: string, address = freshAddress()): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const answer = await send("POST", "/api/auth/sign-in/email", {
      body: JSON.stringify({ email, password }),
      contentType: "application/json",
      headers: { "x-forwarded-for": address },
    });
    if (answer.status !== 429 || attempt >= 3) return answer;
    const wait = Number(answer.headers.get("retry-after") ?? "60");
    console.log(`  sign-in of ${email} limited (the app does not take X-Forwarded-For, rightly): waiting ${wait} s`);
    await new Promise((resolve) => setTimeout(resolve, (Math.min(Math.max(wait, 1), 70) + 1) * 1000));
  }
}
const cookieOf = (answer: Answer) => answer.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");

// ---------------------------------------------------------------------------------------------
// Judging answers.

const LEAKS: Array<[RegExp, string]> = [
  [/\n\s+at [^\n]*:\d+:\d+/, "a stack trace"],
  [/\b(TypeError|ReferenceError|SyntaxError|RangeError)\b/, "a JavaScript error name"],
  [/ZodError|"code":\s*"invalid_[a-z_]+"|"expected":\s*"|"origin":\s*"(string|number|date)"/, "a raw validation issue"],
  [/(?<!<)\bselect\s+(?:\*|[a-z_."]+(?:,\s*[a-z_."]+)*)\s+from\s+[a-z_"]+|insert into|relation "|violates [a-z ]*constraint|syntax error at|invalid input syntax/i, "SQL"],
  [/node_modules|\/work\/|webpack-internal|turbopack:\/\//i, "a server path"],
  [/Cannot read propert|is not a function|is not defined|undefined is not|Invalid time value|Invalid Date|out of range for type/i, "an internal message"],
];
/** What internal detail the text gives away (with the words that do), or null. */
function leak(text: string): string | null {
  for (const [pattern, what] of LEAKS) {
    const found = pattern.exec(text);
    if (found) return `${what} ("${found[0].replace(/\s+/g, " ").slice(0, 60)}")`;
  }
  return null;
}

function messageOf(body: string): string | null {
  try {
    const j = JSON.parse(body) as Record<string, unknown> | null;
    const error = j?.error as { json?: { message?: unknown } } | string | undefined;
    if (typeof error === "string") return error;
    if (typeof error?.json?.message === "string") return error.json.message;
    if (typeof j?.message === "string") return j.message;
  } catch {
    // not JSON
  }
  return null;
}

const isHtml = (a: Answer) => /<html|<!DOCTYPE html/i.test(a.body);
/** The page the app shows when rendering failed (app/error.tsx), or a server error's digest. */
const errorPage = (a: Answer) => a.status >= 500 || /could not be shown just now/.test(a.body) || /data-dgst="\d+"/.test(a.body);

/** A refusal or error someone can read: a JSON message in plain words, or one of the app's pages. */
function plain(a: Answer): string | null {
  const message = messageOf(a.body);
  if (message !== null) {
    if (message.trim().length < 8) return `a message too short to act on ("${message}")`;
    if (/^\s*[[{]/.test(message)) return "a message that is raw validation output";
    return leak(message) ? `a message carrying ${leak(message)}` : null;
  }
  if (isHtml(a)) return errorPage(a) ? "the error page" : leak(a.body) ? `a page carrying ${leak(a.body)}` : null;
  return "no message";
}

/** Held when the status is one of `statuses`, the answer is plain, and no secret is in it. */
function refusedWith(a: Answer, statuses: number[], secrets: string[] = []): boolean {
  if (!statuses.includes(a.status)) return false;
  if (plain(a)) return false;
  return !secrets.some((s) => s && a.body.includes(s));
}

/** What is wrong with a page given odd input, or null when it coped: shown (with its error summary), or not found. */
function pageProblem(a: Answer): string | null {
  if (a.status >= 300 && a.status < 400) return a.location && !/\/sign-in/.test(a.location) && sameOrigin(a.location) ? null : `a redirect to ${a.location}`;
  if (errorPage(a)) return "the error page";
  if (![200, 400, 404].includes(a.status)) return `status ${a.status}`;
  const leaked = leak(a.body);
  return leaked ? `a page carrying ${leaked}` : null;
}
const pageCopes = (a: Answer) => pageProblem(a) === null;
function sameOrigin(location: string): boolean {
  try {
    return new URL(location, APP).origin === new URL(APP).origin;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The tally.

interface Failure {
  category: string;
  method: string;
  path: string;
  as: string;
  expected: string;
  status: number | string;
  body: string;
}
const tally = new Map<string, { tried: number; held: number; skipped: number }>();
const failures: Failure[] = [];
function count(category: string) {
  let c = tally.get(category);
  if (!c) tally.set(category, (c = { tried: 0, held: 0, skipped: 0 }));
  return c;
}
function record(category: string, a: { method: string; path: string; status: number | string; body: string }, as: Account | string | undefined, expected: string, held: boolean): void {
  const c = count(category);
  c.tried++;
  if (held) c.held++;
  else
    failures.push({
      category,
      method: a.method,
      path: a.path.length > 160 ? `${a.path.slice(0, 157)}...` : a.path,
      as: typeof as === "string" ? as : (as?.key ?? "signed out"),
      expected,
      status: a.status,
      body: a.body.replace(/\s+/g, " ").slice(0, 200),
    });
}
function skip(category: string, why: string, n = 1): void {
  count(category).skipped += n;
  console.log(`  skipped ${n} in ${category}: ${why}`);
}

// ---------------------------------------------------------------------------------------------
// Calendar.

function lastCompleteQuarter(today = new Date()): string {
  const q = Math.floor(today.getUTCMonth() / 3);
  return q === 0 ? `${today.getUTCFullYear() - 1}-Q4` : `${today.getUTCFullYear()}-Q${q}`;
}
function addQuarters(quarter: string, n: number): string {
  const [y, q] = quarter.split("-Q").map(Number) as [number, number];
  const index = y * 4 + (q - 1) + n;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

// ---------------------------------------------------------------------------------------------
// The world the probes aim at: things that exist in Oxfordshire, which the Hampshire-only accounts
// must not reach.

interface World {
  quarter: string;
  from: string;
  oxRecord?: { id: number; ref: string };
  hantsRecordWithoutHiowc?: { id: number; ref: string };
  hantsRecord?: { id: number; ref: string };
  oxReportId?: number;
  oxSampleId?: number;
  tvpReturnId?: number;
  occBatchId?: number;
  oxUploadToken?: string;
}

const MISSING_ID = 99999999;

async function discover(): Promise<World> {
  // The demo's data end at 2026-Q3; later runs still aim at quarters with data.
  const quarter = [lastCompleteQuarter(), "2026-Q3"].sort()[0]!;
  const world: World = { quarter, from: addQuarters(quarter, -7) };
  const admin = account("admin");
  const note = (what: string, a: Answer) => console.log(`  setup: ${what} failed (${a.status}: ${a.body.slice(0, 160)}); probes that need it are skipped`);
  if (!admin) return world;
  const rows = async (partnership: string) => {
    const a = await trpc("query", "records.first", { partnerships: [partnership], from: world.from, to: world.quarter }, { as: admin });
    const data = trpcData(a) as { rows?: Array<{ id: number; recordRef: string; raisingAgency: string; receivingAgency: string }> } | undefined;
    if (!data?.rows?.length) note(`reading ${partnership}'s records`, a);
    return data?.rows ?? [];
  };
  const ox = (await rows("oxfordshire"))[0];
  if (ox) world.oxRecord = { id: ox.id, ref: ox.recordRef };
  const hants = await rows("hampshire");
  const without = hants.find((r) => ![r.raisingAgency, r.receivingAgency].some((x) => /HIOWC|Constabulary/i.test(x)));
  if (without) world.hantsRecordWithoutHiowc = { id: without.id, ref: without.recordRef };
  if (hants[0]) world.hantsRecord = { id: hants[0].id, ref: hants[0].recordRef };

  const issued = await postForm("/api/reports/issue", { partnership: "oxfordshire", quarter: world.quarter }, { as: admin, timeoutMs: 120_000 });
  const reportId = /\/reports\/issued\/(\d+)/.exec(issued.location ?? "")?.[1];
  if (reportId) world.oxReportId = Number(reportId);
  else note("issuing Oxfordshire's board report", issued);

  const drawn = await postForm("/api/scrutiny/draw", { partnership: "oxfordshire", from: addQuarters(world.quarter, -3), quarter: world.quarter, size: "5", seed: "7" }, { as: admin });
  const sampleId = /\/scrutiny\/(\d+)/.exec(drawn.location ?? "")?.[1];
  if (sampleId) world.oxSampleId = Number(sampleId);
  else note("drawing an Oxfordshire sample", drawn);

  const oxLead = account("oxLead");
  if (oxLead) {
    const made = await postForm("/api/evidence", { agency: "TVP", from: addQuarters(world.quarter, -3), to: world.quarter }, { as: oxLead });
    const page = await send("GET", "/agencies/TVP", { as: oxLead });
    const returnId = [...page.body.matchAll(/\/api\/evidence\/(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => b - a)[0];
    if (returnId) world.tvpReturnId = returnId;
    else note("storing Thames Valley Police's evidence return", made.status >= 400 ? made : page);
  }

  const batches = await trpc("query", "uploads.batches", { agency: "OCC-CS" }, { as: admin });
  const batch = (trpcData(batches) as Array<{ id: number }> | undefined)?.[0];
  if (batch) world.occBatchId = batch.id;
  else note("finding an upload batch of OCC-CS", batches);

  const oxUploader = account("oxUploader");
  if (oxUploader) {
    const upload = await startUpload(oxUploader, "conference_activity", "OCC-CS", "partnership,month,initial_conferences,review_conferences\noxfordshire,2026-08,9,9\n");
    if (upload.token) world.oxUploadToken = upload.token;
    else note("leaving an Oxfordshire upload waiting", upload.answer);
  }
  return world;
}

async function startUpload(as: Account, kind: string, agency: string, csv: string, o: SendOptions = {}): Promise<{ answer: Answer; token?: string }> {
  const query = new URLSearchParams({ kind, agency, fileName: `probe-${kind}.csv` });
  const answer = await send("POST", `/api/uploads?${query}`, { as, body: csv, contentType: "text/csv", ...o });
  try {
    const token = (JSON.parse(answer.body) as { token?: string }).token;
    return { answer, token };
  } catch {
    return { answer };
  }
}

interface Checked {
  answer: Answer;
  step: string;
  counts?: { loaded: number; replaced: number; unchanged: number; rejected: number };
  error?: { status: number; message: string };
}
async function followUntilChecked(as: Account, token: string): Promise<Checked> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await send("GET", `/api/uploads/${token}`, { as });
    let progress: { step?: string; result?: { counts?: Checked["counts"] }; error?: Checked["error"] } = {};
    try {
      progress = (JSON.parse(answer.body) as { progress?: typeof progress }).progress ?? {};
    } catch {
      // judged below
    }
    const step = progress.step ?? `no progress (${answer.status})`;
    if (!["checking", "loading"].includes(step) || Date.now() > deadline) return { answer, step, counts: progress.result?.counts, error: progress.error };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// ---------------------------------------------------------------------------------------------
// What is on disk: pages and route handlers (so a new one is probed without editing this file).

function filesNamed(dir: string, name: string): string[] {
  const found: string[] = [];
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesNamed(full, name));
    else if (entry.name === name) found.push(full);
  }
  return found.sort();
}
const SAMPLE_SEGMENTS: Record<string, string> = { code: "HCC-CS", partnership: "hampshire", id: "1", dataset: "records", kind: "escalations", token: "0123456789abcdef0123456789abcdef" };
function routeOf(file: string, base: string): string | null {
  const parts = path.relative(base, path.dirname(file)).split(path.sep).filter((p) => p && !/^\(.*\)$/.test(p));
  const out: string[] = [];
  for (const part of parts) {
    const dynamic = /^\[(.+)\]$/.exec(part);
    if (!dynamic) out.push(part);
    else if (dynamic[1]!.startsWith("...")) return null;
    else out.push(SAMPLE_SEGMENTS[dynamic[1]!] ?? "1");
  }
  return `/${out.join("/")}`;
}
function methodsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const found = new Set<string>();
  for (const m of text.matchAll(/export\s+(?:async\s+)?(?:function|const)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) found.add(m[1]!);
  for (const m of text.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) found.add(m[1]!);
  return [...found];
}

/** Every tRPC procedure with an input that passes its schema (wiring/trpc/router.ts). */
function procedures(w: World): Array<[string, Kind, unknown]> {
  const hants = ["hampshire"];
  const figures = { partnerships: hants, from: w.from, to: w.quarter };
  return [
    ["partnerships.list", "query", undefined],
    ["agencies.list", "query", undefined],
    ["agencies.profile", "query", { agency: "HCC-CS" }],
    ["scrutiny.samples", "query", undefined],
    ["scrutiny.sample", "query", { id: 1 }],
    ["scrutiny.draw", "mutation", { partnerships: hants, from: w.from, to: w.quarter, size: 3 }],
    ["scrutiny.finding", "mutation", { sampleId: 1, position: 1, rating: "good" }],
    ["themes.list", "query", undefined],
    ["records.get", "query", { partnership: "hampshire", id: 1 }],
    ["records.first", "query", figures],
    ["uploads.batches", "query", {}],
    ["uploads.running", "query", undefined],
    ["uploads.undo", "mutation", { batchId: 1 }],
    ["metrics.trends", "query", { partnerships: hants }],
    ["metrics.overview", "query", { partnerships: hants, quarter: w.quarter }],
    ["metrics.breakdowns", "query", figures],
    ["metrics.dissent", "query", figures],
    ["metrics.agencyMatrix", "query", { partnerships: hants, quarter: w.quarter }],
    ["metrics.overdue", "query", { partnerships: hants }],
    ["metrics.dataQuality", "query", figures],
    ["users.list", "query", undefined],
    ["users.add", "mutation", { email: "probe-nobody@probe.example", role: "board", scope: "hampshire" }],
    ["users.disable", "mutation", { email: "probe-nobody@probe.example" }],
    ["users.reset", "mutation", { email: "probe-nobody@probe.example" }],
    ["audit.list", "query", {}],
    ["reports.board", "query", { partnerships: hants, quarter: w.quarter }],
    ["reports.issue", "mutation", { partnerships: hants, quarter: w.quarter }],
    ["reports.issued", "query", undefined],
    ["reports.issuedReport", "query", { id: 1 }],
  ];
}

// ---------------------------------------------------------------------------------------------
// 1. Signed out.

async function signedOut(w: World): Promise<void> {
  const C = "1 signed out";
  const appDir = path.join(TREE, "app");
  const pages = filesNamed(appDir, "page.tsx").map((f) => routeOf(f, appDir)).filter((p): p is string => !!p && p !== "/sign-in");
  for (const page of pages) {
    for (const cookie of [undefined, "ew.session_token=forged.value"]) {
      const a = await send("GET", page, cookie ? { headers: { cookie } } : {});
      const held = a.status >= 300 && a.status < 400 && !!a.location && sameOrigin(a.location) && new URL(a.location, APP).pathname === "/sign-in";
      record(C, a, cookie ? "forged cookie" : undefined, "a redirect to /sign-in", held);
    }
  }
  const apiDir = path.join(appDir, "api");
  const query = `?partnership=hampshire&quarter=${w.quarter}&from=${w.from}&kind=escalations&agency=HCC-CS&fileName=a.csv`;
  for (const file of filesNamed(apiDir, "route.ts")) {
    const route = routeOf(file, appDir);
    if (!route || route.startsWith("/api/trpc")) continue; // tRPC below, procedure by procedure; /api/auth is the sign-in itself
    const asked = route.split("/").filter((s) => s.length >= 3 && Object.values(SAMPLE_SEGMENTS).includes(s));
    for (const method of methodsOf(file)) {
      const body = method === "GET" ? undefined : method === "POST" && route === "/api/uploads" ? "partnership,month,initial_conferences,review_conferences\nhampshire,2026-07,1,1\n" : form({ partnership: "hampshire", quarter: w.quarter, from: w.from, agency: "HCC-CS", sample: "1", position: "1", rating: "good", size: "3" }).toString();
      const a = await send(method, `${route}${query}`, { body, contentType: body ? (route === "/api/uploads" ? "text/csv" : "application/x-www-form-urlencoded") : undefined });
      const saysNothing = !/not found|does not exist|no longer|no such|exists/i.test(a.body) && !asked.some((s) => a.body.includes(s));
      record(C, a, undefined, "401 saying nothing of what was asked for", refusedWith(a, [401]) && saysNothing);
    }
  }
  for (const [name, kind, input] of procedures(w)) {
    const a = await trpc(kind, name, input);
    record(C, a, undefined, "401", refusedWith(a, [401]) && !/not found|exist/i.test(a.body));
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Cross-scope.

const HOSTILE_ROWS: Array<{ kind: string; label: string; csv: string; rows: number }> = [
  {
    kind: "escalations",
    label: "escalations naming oxfordshire and Oxfordshire agencies",
    csv: "record_ref,partnership,raising_agency,receiving_agency,concern_arose_on,themes,stage1_on,status,closed_on\nPROBE-X1,oxfordshire,OCC-CS,TVP,2026-08-03,thresholds,2026-08-04,open,\n",
    rows: 1,
  },
  {
    kind: "escalations",
    label: "escalations naming oxfordshire, raised by the uploader's own agency",
    csv: "record_ref,partnership,raising_agency,receiving_agency,concern_arose_on,themes,stage1_on,status,closed_on\nPROBE-X2,oxfordshire,HCC-CS,TVP,2026-08-03,thresholds,2026-08-04,open,\nPROBE-X3,Oxfordshire Safeguarding Children Board,HCC-CS,OCC-CS,2026-08-03,thresholds,,open,\n",
    rows: 2,
  },
  {
    kind: "dissent",
    label: "dissent naming oxfordshire",
    csv: "record_ref,partnership,conference_date,conference_type,dissenting_agency,decision,themes,status\nPROBE-D1,oxfordshire,2026-08-03,initial,TVP,cp_plan,plan_decision,open\nPROBE-D2,oxfordshire,2026-08-03,review,HCC-CS,no_cp_plan,plan_decision,open\n",
    rows: 2,
  },
  {
    kind: "conference_activity",
    label: "conference activity for oxfordshire (replacing its month)",
    csv: "partnership,month,initial_conferences,review_conferences\noxfordshire,2026-07,1,1\n",
    rows: 1,
  },
];

async function uploadHeld(C: string, as: Account, kind: string, agency: string, csv: string, rows: number, label: string): Promise<void> {
  const started = await startUpload(as, kind, agency, csv);
  const expected = `${label}: every row rejected (or the file refused), nothing loaded or replaced`;
  if (!started.token) {
    record(C, started.answer, as, expected, started.answer.status >= 400 && started.answer.status < 500 && !plain(started.answer));
    return;
  }
  const checked = await followUntilChecked(as, started.token);
  const held =
    (checked.step === "failed" && !!checked.error && checked.error.status >= 400 && checked.error.status < 500) ||
    (checked.step === "checked" && !!checked.counts && checked.counts.loaded === 0 && checked.counts.replaced === 0 && checked.counts.rejected === rows);
  const shown = { ...checked.answer, method: "POST", path: `/api/uploads?kind=${kind}&agency=${agency} (then GET /api/uploads/{token})`, body: `step ${checked.step}; counts ${JSON.stringify(checked.counts ?? checked.error ?? {})}` };
  record(C, shown, as, expected, held);
  await send("DELETE", `/api/uploads/${started.token}`, { as });
}

async function crossScope(w: World): Promise<void> {
  const C = "2 cross-scope";
  const need = <T>(value: T | undefined, what: string, n = 1): value is T => {
    if (value === undefined) skip(C, `no ${what}`, n);
    return value !== undefined;
  };
  const ox = ["oxfordshire"];
  const oxFilters = `partnership=oxfordshire&quarter=${w.quarter}&from=${w.from}`;
  const refuse = async (as: Account | undefined, a: Promise<Answer> | (() => Promise<Answer>), statuses = [403, 404], secrets: string[] = []) => {
    if (!as) return skip(C, "account missing");
    const answer = await (typeof a === "function" ? a() : a);
    record(C, answer, as, `${statuses.join("/")} with a plain message${secrets.length ? ", nothing of the target" : ""}`, refusedWith(answer, statuses, secrets));
  };
  const excludes = async (as: Account | undefined, a: Promise<Answer>, secrets: string[], what: string) => {
    if (!as) return skip(C, "account missing");
    const answer = await a;
    const found = secrets.filter((s) => answer.body.includes(s));
    record(C, answer, as, `${what} (without ${secrets.join(", ")})`, answer.status < 500 && found.length === 0);
  };
  const oxEmails = ["victim", "victim2", "oxLead", "oxUploader"].map((k) => ACCOUNTS.find((a) => a.key === k)!.email);

  // An admin of Hampshire only.
  const ha = account("hantsAdmin");
  if (ha) {
    await refuse(ha, trpc("query", "metrics.overview", { partnerships: ox, quarter: w.quarter }, { as: ha }), [403]);
    await refuse(ha, trpc("query", "metrics.trends", { partnerships: ox }, { as: ha }), [403]);
    await refuse(ha, trpc("query", "metrics.overdue", { partnerships: ox }, { as: ha }), [403]);
    await refuse(ha, trpc("query", "metrics.dataQuality", { partnerships: ox, from: w.from, to: w.quarter }, { as: ha }), [403]);
    await refuse(ha, trpc("query", "records.first", { partnerships: ox, from: w.from, to: w.quarter }, { as: ha }));
    await refuse(ha, trpc("query", "reports.board", { partnerships: ox, quarter: w.quarter }, { as: ha }), [403]);
    await refuse(ha, trpc("query", "agencies.profile", { agency: "TVP" }, { as: ha }));
    if (need(w.oxRecord, "Oxfordshire record", 2)) {
      await refuse(ha, trpc("query", "records.get", { partnership: "oxfordshire", id: w.oxRecord.id }, { as: ha }), [403, 404], [w.oxRecord.ref]);
      await refuse(ha, send("GET", `/records/oxfordshire/${w.oxRecord.id}`, { as: ha }), [403, 404], [w.oxRecord.ref]);
    }
    await refuse(ha, send("GET", `/api/records?${oxFilters}`, { as: ha }));
    for (const dataset of ["trends", "agency-matrix", "data-quality", "overdue", "records"]) {
      await refuse(ha, send("GET", `/api/downloads/${dataset}?${oxFilters}&format=csv`, { as: ha }));
    }
    await refuse(ha, send("GET", `/api/reports/board?partnership=oxfordshire&quarter=${w.quarter}&format=html`, { as: ha }), [403]);
    if (need(w.oxReportId, "Oxfordshire issued report", 4)) {
      await refuse(ha, send("GET", `/api/reports/issued/${w.oxReportId}?format=docx`, { as: ha }));
      await refuse(ha, send("GET", `/reports/issued/${w.oxReportId}`, { as: ha }));
      await refuse(ha, trpc("query", "reports.issuedReport", { id: w.oxReportId }, { as: ha }));
      const list = await trpc("query", "reports.issued", undefined, { as: ha });
      const ids = ((trpcData(list) as Array<{ id: number }> | undefined) ?? []).map((r) => r.id);
      record(C, list, ha, `the issued reports list without report ${w.oxReportId}`, list.status === 200 && !ids.includes(w.oxReportId));
    }
    if (need(w.oxSampleId, "Oxfordshire sample", 3)) {
      await refuse(ha, send("GET", `/api/scrutiny/${w.oxSampleId}?format=csv`, { as: ha }));
      await refuse(ha, send("GET", `/scrutiny/${w.oxSampleId}`, { as: ha }));
      await refuse(ha, trpc("query", "scrutiny.sample", { id: w.oxSampleId }, { as: ha }));
    }
    if (need(w.tvpReturnId, "TVP evidence return", 2)) {
      await refuse(ha, send("GET", `/api/evidence/${w.tvpReturnId}?format=docx`, { as: ha }));
      await refuse(ha, send("POST", `/api/evidence/${w.tvpReturnId}/issue`, { as: ha }));
    }
    if (need(w.occBatchId, "OCC-CS batch", 2)) {
      await refuse(ha, send("GET", `/api/uploads/batches/${w.occBatchId}/rejects`, { as: ha }));
      await refuse(ha, trpc("mutation", "uploads.undo", { batchId: w.occBatchId }, { as: ha }));
    }
    await refuse(ha, trpc("query", "uploads.batches", { agency: "OCC-CS" }, { as: ha }), [403]);
    if (need(w.oxUploadToken, "waiting Oxfordshire upload")) await refuse(ha, send("GET", `/api/uploads/${w.oxUploadToken}`, { as: ha }));
    await refuse(ha, startUpload(ha, "conference_activity", "OCC-CS", "partnership,month,initial_conferences,review_conferences\noxfordshire,2026-07,1,1\n").then((u) => u.answer), [403]);
    await refuse(ha, postForm("/api/reports/issue", { partnership: "oxfordshire", quarter: w.quarter }, { as: ha }), [403]);
    await refuse(ha, trpc("mutation", "reports.issue", { partnerships: ox, quarter: w.quarter }, { as: ha }), [403]);
    await refuse(ha, postForm("/api/scrutiny/draw", { partnership: "oxfordshire", from: w.from, quarter: w.quarter, size: "3" }, { as: ha }), [403]);
    await refuse(ha, trpc("mutation", "scrutiny.draw", { partnerships: ox, from: w.from, to: w.quarter, size: 3 }, { as: ha }), [403]);
    await excludes(ha, send("GET", `/?partnership=oxfordshire&quarter=${w.quarter}`, { as: ha }), ["Oxfordshire Safeguarding Children Board", "Thames Valley Police"], "the overview without Oxfordshire");
    // Users: the list, and takeovers of an Oxfordshire user.
    await excludes(ha, trpc("query", "users.list", undefined, { as: ha }), oxEmails, "users.list without Oxfordshire's users");
    await excludes(ha, send("GET", "/admin/users", { as: ha }), oxEmails, "/admin/users without Oxfordshire's users");
    const victim = ACCOUNTS.find((a) => a.key === "victim")!;
    const victim2 = ACCOUNTS.find((a) => a.key === "victim2")!;
    // The audit log: nothing of Oxfordshire's people or records (read before this admin's own attempts below,
    // whose refused rows name the emails the admin typed and are the admin's own to read).
    await excludes(ha, trpc("query", "audit.list", { limit: 5000 }, { as: ha }), oxEmails, "audit.list without Oxfordshire-only activity");
    await excludes(ha, send("GET", "/api/audit/export", { as: ha }), oxEmails, "the audit export without Oxfordshire-only activity");
    await excludes(ha, send("GET", "/audit", { as: ha }), oxEmails, "/audit without Oxfordshire-only activity");
    await refuse(ha, trpc("mutation", "users.add", { email: victim.email, role: "board", scope: "hampshire" }, { as: ha }), [400, 403, 404, 409]);
    await refuse(ha, trpc("mutation", "users.reset", { email: victim.email }, { as: ha }), [403, 404], ["generatedPassword"]);
    await refuse(ha, trpc("mutation", "users.disable", { email: victim2.email }, { as: ha }), [403, 404]);
    for (const v of [victim, victim2]) {
      if (!v.password) continue;
      const a = await signIn(v.email, v.password);
      record(C, { ...a, path: `${a.path} (${v.key} after the takeover attempts)` }, ha, "the Oxfordshire user still signs in with their own password", a.status === 200);
    }
  } else skip(C, "no Hampshire-only admin", 40);

  // The board member of the HIPS partnerships.
  const board = account("board");
  if (board) {
    await refuse(board, trpc("query", "metrics.overview", { partnerships: ox, quarter: w.quarter }, { as: board }), [403]);
    await refuse(board, trpc("query", "metrics.breakdowns", { partnerships: ox, from: w.from, to: w.quarter }, { as: board }), [403]);
    await refuse(board, send("GET", `/api/reports/board?partnership=oxfordshire&quarter=${w.quarter}&format=html`, { as: board }), [403]);
    await refuse(board, send("GET", `/api/downloads/trends?${oxFilters}`, { as: board }), [403]);
    await refuse(board, send("GET", `/api/records?partnership=hampshire&quarter=${w.quarter}`, { as: board }), [403]);
    if (w.hantsRecord) await refuse(board, trpc("query", "records.get", { partnership: "hampshire", id: w.hantsRecord.id }, { as: board }), [403, 404], [w.hantsRecord.ref]);
    if (w.oxReportId) await refuse(board, trpc("query", "reports.issuedReport", { id: w.oxReportId }, { as: board }));
    await refuse(board, trpc("query", "users.list", undefined, { as: board }), [403]);
    await refuse(board, trpc("query", "audit.list", {}, { as: board }), [403]);
    await refuse(board, send("GET", "/api/audit/export", { as: board }), [403]);
    await refuse(board, trpc("mutation", "users.reset", { email: "admin@demo.example" }, { as: board }), [403], ["generatedPassword"]);
    await excludes(board, send("GET", `/dissent?partnership=oxfordshire`, { as: board }), ["Oxfordshire Safeguarding Children Board", "Thames Valley Police"], "the dissent page without Oxfordshire");
  } else skip(C, "no board account", 12);

  // The agency lead of the constabulary (HIPS partnerships only).
  const lead = account("lead");
  if (lead) {
    if (w.oxRecord) {
      await refuse(lead, trpc("query", "records.get", { partnership: "oxfordshire", id: w.oxRecord.id }, { as: lead }), [403, 404], [w.oxRecord.ref]);
      await refuse(lead, send("GET", `/records/oxfordshire/${w.oxRecord.id}`, { as: lead }), [403, 404], [w.oxRecord.ref]);
    }
    if (w.hantsRecordWithoutHiowc) {
      await refuse(lead, trpc("query", "records.get", { partnership: "hampshire", id: w.hantsRecordWithoutHiowc.id }, { as: lead }), [403, 404], [w.hantsRecordWithoutHiowc.ref]);
    }
    await refuse(lead, trpc("query", "agencies.profile", { agency: "TVP" }, { as: lead }), [403, 404]);
    await refuse(lead, send("GET", "/agencies/TVP", { as: lead }), [403, 404], ["Thames Valley Police"]);
    if (w.tvpReturnId) await refuse(lead, send("GET", `/api/evidence/${w.tvpReturnId}?format=docx`, { as: lead }));
    await refuse(lead, postForm("/api/evidence", { agency: "TVP", from: addQuarters(w.quarter, -3), to: w.quarter }, { as: lead }), [403]);
    const records = await send("GET", `/api/records?${oxFilters}`, { as: lead });
    record(C, records, lead, "403/404, or no records", refusedWith(records, [403, 404]) || (records.status === 200 && records.headers.get("x-record-count") === "0"));
    await refuse(lead, trpc("query", "uploads.batches", { agency: "OCC-CS" }, { as: lead }), [403]);
  } else skip(C, "no agency lead", 9);

  // The uploader of a Hampshire-only agency.
  const up = account("uploader");
  if (up) {
    for (const h of HOSTILE_ROWS) await uploadHeld(C, up, h.kind, "HCC-CS", h.csv, h.rows, h.label);
    await refuse(up, startUpload(up, "escalations", "TVP", HOSTILE_ROWS[0]!.csv).then((u) => u.answer), [403]);
    if (w.occBatchId) {
      await refuse(up, send("GET", `/api/uploads/batches/${w.occBatchId}/rejects`, { as: up }));
      await refuse(up, trpc("mutation", "uploads.undo", { batchId: w.occBatchId }, { as: up }));
    }
    if (w.oxUploadToken) {
      await refuse(up, send("GET", `/api/uploads/${w.oxUploadToken}`, { as: up }));
      await refuse(up, send("POST", `/api/uploads/${w.oxUploadToken}`, { as: up }));
      await refuse(up, send("DELETE", `/api/uploads/${w.oxUploadToken}`, { as: up }));
    }
    await refuse(up, trpc("query", "uploads.batches", { agency: "OCC-CS" }, { as: up }), [403]);
    await refuse(up, trpc("query", "metrics.overview", { partnerships: ["hampshire"], quarter: w.quarter }, { as: up }), [403]);
    await refuse(up, send("GET", `/api/records?partnership=hampshire&quarter=${w.quarter}`, { as: up }), [403]);
  } else skip(C, "no uploader", 12);

  // An uploader of a Hampshire agency that does not own Hampshire's conference activity (HCC-CS does).
  const hhft = account("hhftUploader");
  if (hhft) {
    await uploadHeld(C, hhft, "conference_activity", "HHFT", "partnership,month,initial_conferences,review_conferences\nhampshire,2026-07,1,1\n", 1, "HHFT replacing HCC-CS's Hampshire month");
  }
  // The other way round: Oxfordshire's uploader naming Hampshire.
  const oxUp = account("oxUploader");
  if (oxUp) {
    await uploadHeld(C, oxUp, "escalations", "OCC-CS", "record_ref,partnership,raising_agency,receiving_agency,concern_arose_on,themes,stage1_on,status,closed_on\nPROBE-Y1,hampshire,HCC-CS,HIOWC,2026-08-03,thresholds,2026-08-04,open,\n", 1, "OCC-CS escalations naming hampshire");
    await uploadHeld(C, oxUp, "conference_activity", "OCC-CS", "partnership,month,initial_conferences,review_conferences\nhampshire,2026-07,1,1\n", 1, "OCC-CS replacing Hampshire's month");
  }

  // A scrutineer of Hampshire only.
  const hs = account("hantsScrutineer");
  if (hs && w.oxSampleId) {
    await refuse(hs, trpc("query", "scrutiny.sample", { id: w.oxSampleId }, { as: hs }));
    await refuse(hs, send("GET", `/api/scrutiny/${w.oxSampleId}?format=csv`, { as: hs }));
    await refuse(hs, send("GET", `/scrutiny/${w.oxSampleId}`, { as: hs }));
    await refuse(hs, trpc("mutation", "scrutiny.finding", { sampleId: w.oxSampleId, position: 1, rating: "inadequate", note: "probe" }, { as: hs }));
    await refuse(hs, postForm("/api/scrutiny/finding", { sample: String(w.oxSampleId), position: "1", rating: "inadequate", note: "probe" }, { as: hs }));
    const list = await trpc("query", "scrutiny.samples", undefined, { as: hs });
    const ids = ((trpcData(list) as Array<{ id: number }> | undefined) ?? []).map((s) => s.id);
    record(C, list, hs, `the samples list without sample ${w.oxSampleId}`, list.status === 200 && !ids.includes(w.oxSampleId));
  } else skip(C, "no Hampshire scrutineer or Oxfordshire sample", 6);
  if (hs && w.oxRecord) await refuse(hs, trpc("query", "records.get", { partnership: "oxfordshire", id: w.oxRecord.id }, { as: hs }), [403, 404], [w.oxRecord.ref]);
}

// ---------------------------------------------------------------------------------------------
// 3. The same answer for exists-but-not-yours and does-not-exist.

async function sameAnswer(w: World): Promise<void> {
  const C = "3 same answer";
  const pair = async (as: Account | undefined, label: string, existing: string | number | undefined, make: (id: string | number) => Promise<Answer>, missing: string | number = MISSING_ID) => {
    if (!as || existing === undefined) return skip(C, `${label}: no account or target`);
    const a = await make(existing);
    const b = await make(missing);
    const norm = (x: Answer, id: string | number) => {
      const message = messageOf(x.body) ?? (/Page not found/.test(x.body) ? "Page not found" : x.body.slice(0, 300));
      return `${x.status} ${message.split(String(id)).join("#")}`;
    };
    const same = norm(a, existing) === norm(b, missing);
    record(C, { ...a, path: `${a.path} vs ${b.path}`, body: `exists: ${norm(a, existing)} | missing: ${norm(b, missing)}` }, as, `${label}: the same answer (a refusal) for both`, same && a.status >= 400 && a.status < 500);
  };
  const ha = account("hantsAdmin");
  const hs = account("hantsScrutineer");
  const up = account("uploader");
  const lead = account("lead");
  await pair(ha, "issued report (API)", w.oxReportId, (id) => send("GET", `/api/reports/issued/${id}?format=docx`, { as: ha }));
  await pair(ha, "issued report (page)", w.oxReportId, (id) => send("GET", `/reports/issued/${id}`, { as: ha }));
  await pair(ha, "issued report (tRPC)", w.oxReportId, (id) => trpc("query", "reports.issuedReport", { id }, { as: ha }));
  await pair(ha, "evidence return (API)", w.tvpReturnId, (id) => send("GET", `/api/evidence/${id}?format=docx`, { as: ha }));
  await pair(ha, "evidence return (issue)", w.tvpReturnId, (id) => send("POST", `/api/evidence/${id}/issue`, { as: ha }));
  await pair(ha, "sample (tRPC)", w.oxSampleId, (id) => trpc("query", "scrutiny.sample", { id }, { as: ha }));
  await pair(hs, "sample (API)", w.oxSampleId, (id) => send("GET", `/api/scrutiny/${id}?format=csv`, { as: hs }));
  await pair(hs, "sample (page)", w.oxSampleId, (id) => send("GET", `/scrutiny/${id}`, { as: hs }));
  await pair(hs, "finding on a sample", w.oxSampleId, (id) => trpc("mutation", "scrutiny.finding", { sampleId: id, position: 1, rating: "good" }, { as: hs }));
  await pair(up, "batch rejects", w.occBatchId, (id) => send("GET", `/api/uploads/batches/${id}/rejects`, { as: up }));
  await pair(up, "batch undo", w.occBatchId, (id) => trpc("mutation", "uploads.undo", { batchId: id }, { as: up }));
  await pair(up, "waiting upload", w.oxUploadToken, (t) => send("GET", `/api/uploads/${t}`, { as: up }), "fedcba9876543210fedcba9876543210");
  await pair(lead, "record (tRPC, another partnership)", w.oxRecord?.id, (id) => trpc("query", "records.get", { partnership: "oxfordshire", id }, { as: lead }));
  await pair(lead, "record (tRPC, not its agency's)", w.hantsRecordWithoutHiowc?.id, (id) => trpc("query", "records.get", { partnership: "hampshire", id }, { as: lead }));
  await pair(lead, "record (page)", w.oxRecord?.id, (id) => send("GET", `/records/oxfordshire/${id}`, { as: lead }));
  const victim = ACCOUNTS.find((a) => a.key === "victim")!.email;
  const victim2 = ACCOUNTS.find((a) => a.key === "victim2")!.email;
  await pair(ha, "user reset", victim, (email) => trpc("mutation", "users.reset", { email }, { as: ha }), "probe-nobody-at-all@probe.example");
  await pair(ha, "user disable", victim2, (email) => trpc("mutation", "users.disable", { email }, { as: ha }), "probe-nobody-at-all@probe.example");
}

// ---------------------------------------------------------------------------------------------
// 4. Open redirects at sign-in, in a real browser.

const NEXTS = [
  "/%5Cevil.example",
  "/%5C%5Cevil.example",
  "/%09/evil.example",
  "%09//evil.example",
  "/%0A/evil.example",
  "/%0D/evil.example",
  "//evil.example",
  "///evil.example",
  "/%2F%2Fevil.example",
  "/%2F/evil.example",
  "https://evil.example",
  "http:evil.example",
  "javascript:alert(1)",
  "%5C%5Cevil.example",
  "/%5C/evil.example",
  "/.%5Cevil.example",
];

async function openRedirects(): Promise<void> {
  const C = "4 open redirect";
  const who = account("redirect");
  if (!who) return skip(C, "no account to sign in with", NEXTS.length);
  let chromium: typeof import("playwright-core").chromium;
  try {
    chromium = (await import("playwright-core")).chromium;
  } catch {
    return skip(C, "playwright-core is not installed", NEXTS.length);
  }
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!fs.existsSync(executablePath)) return skip(C, `no browser at ${executablePath} (set CHROMIUM_PATH)`, NEXTS.length);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const appOrigin = new URL(APP).origin;
  try {
    for (const next of NEXTS) {
      const target = `/sign-in?next=${next}`;
      let outcome = "";
      for (let attempt = 0; attempt < 2; attempt++) {
        const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": freshAddress() } });
        const offsite: string[] = [];
        let dialog = "";
        await context.route("**/*", (route) => {
          const url = route.request().url();
          if (url.startsWith(appOrigin)) return route.continue();
          offsite.push(url);
          return route.fulfill({ status: 200, contentType: "text/html", body: "<html><body>off the app's origin</body></html>" });
        });
        const page = await context.newPage();
        page.on("dialog", (d) => {
          dialog = d.message();
          void d.dismiss();
        });
        try {
          await page.goto(APP + target, { timeout: TIMEOUT_MS });
          await page.fill("#email", who.email);
          await page.fill("#password", who.password!);
          await page.click("button[type=submit]");
          await page.waitForURL((url) => !url.href.startsWith(`${appOrigin}/sign-in`), { timeout: 8000 }).catch(() => undefined);
          await page.waitForTimeout(500);
          const url = page.url();
          const limited = await page.getByText("Too many attempts").count().catch(() => 0);
          if (limited && attempt === 0) {
            console.log("  sign-in limited in the browser: waiting 61 s");
            await context.close();
            await new Promise((resolve) => setTimeout(resolve, 61_000));
            continue;
          }
          const stayed = url.startsWith(`${appOrigin}/`) && !offsite.length && !dialog && !url.startsWith(`${appOrigin}/sign-in`);
          outcome = stayed ? "" : `ended at ${url}${offsite.length ? `; went off-site to ${offsite[0]}` : ""}${dialog ? `; ran script (alert "${dialog}")` : ""}${url.startsWith(`${appOrigin}/sign-in`) ? "; still on sign-in" : ""}`;
        } catch (error) {
          outcome = `the browser failed: ${(error as Error).message.split("\n")[0]}`;
        }
        await context.close();
        break;
      }
      record(C, { method: "GET", path: target, status: outcome ? "browser" : 200, body: outcome }, who, "signed in and still on the app's origin (no script run)", !outcome);
    }
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Origin.

const badOrigins = (): Array<{ label: string; headers: Record<string, string> }> => [
  { label: "Origin: https://evil.example", headers: { origin: "https://evil.example" } },
  { label: "Origin: null", headers: { origin: "null" } },
  { label: "Origin: garbage", headers: { origin: "garbage" } },
  { label: "Origin evil + X-Forwarded-Host evil", headers: { origin: "https://evil.example", "x-forwarded-host": "evil.example" } },
  { label: "Origin and X-Forwarded-Host of the app's name under evil.example", headers: { origin: `${APP}.evil.example`, "x-forwarded-host": `${new URL(APP).host}.evil.example` } },
];

async function refusedRows(admin: Account): Promise<number | null> {
  const a = await send("GET", "/api/audit/export?outcome=refused", { as: admin, timeoutMs: 60_000 });
  if (a.status !== 200) return null;
  return a.body.split("\n").filter((l) => l.trim()).length - 1;
}

async function origins(w: World): Promise<void> {
  const C = "5 origin";
  const admin = account("admin");
  const scrutineer = account("scrutineer");
  const oxLead = account("oxLead");
  const up = account("uploader");
  const oxUp = account("oxUploader");
  const originVictim = ACCOUNTS.find((a) => a.key === "originVictim")!.email;
  const before = admin ? await refusedRows(admin) : null;
  let attempts = 0;
  const BAD_ORIGINS = badOrigins();
  const mutations: Array<[string, Account | undefined, (h: Record<string, string>) => Promise<Answer>]> = [
    ["tRPC users.reset", admin, (h) => trpc("mutation", "users.reset", { email: originVictim }, { as: admin, headers: h })],
    ["tRPC reports.issue", admin, (h) => trpc("mutation", "reports.issue", { partnerships: ["hampshire"], quarter: w.quarter }, { as: admin, headers: h })],
    ["tRPC uploads.undo", admin, (h) => trpc("mutation", "uploads.undo", { batchId: MISSING_ID }, { as: admin, headers: h })],
    ["issue a report", admin, (h) => postForm("/api/reports/issue", { partnership: "hampshire", quarter: w.quarter }, { as: admin, headers: h })],
    ["draw a sample", admin, (h) => postForm("/api/scrutiny/draw", { partnership: "hampshire", from: w.from, quarter: w.quarter, size: "2" }, { as: admin, headers: h })],
    ["record a finding", scrutineer, (h) => postForm("/api/scrutiny/finding", { sample: String(w.oxSampleId ?? 1), position: "1", rating: "good" }, { as: scrutineer, headers: h })],
    ["store an evidence return", oxLead, (h) => postForm("/api/evidence", { agency: "TVP", from: addQuarters(w.quarter, -1), to: w.quarter }, { as: oxLead, headers: h })],
    ["issue an evidence return", admin, (h) => send("POST", `/api/evidence/${w.tvpReturnId ?? 1}/issue`, { as: admin, headers: h })],
    ["upload a file", up, (h) => startUpload(up!, "conference_activity", "HCC-CS", "partnership,month,initial_conferences,review_conferences\nhampshire,2026-07,30,40\n", { headers: h }).then((u) => u.answer)],
    ["load an upload", oxUp, (h) => send("POST", `/api/uploads/${w.oxUploadToken ?? "0123456789abcdef0123456789abcdef"}`, { as: oxUp, headers: h })],
    ["cancel an upload", oxUp, (h) => send("DELETE", `/api/uploads/${w.oxUploadToken ?? "0123456789abcdef0123456789abcdef"}`, { as: oxUp, headers: h })],
    ["sign in", ACCOUNTS.find((a) => a.key === "rate"), (h) => send("POST", "/api/auth/sign-in/email", { body: JSON.stringify({ email: "probe-rate@probe.example", password: "not-the-password-at-all" }), contentType: "application/json", headers: { ...h, "x-forwarded-for": freshAddress() } })],
  ];
  for (const [label, as, make] of mutations) {
    if (!as) {
      skip(C, `${label}: no account`, BAD_ORIGINS.length);
      continue;
    }
    for (const bad of BAD_ORIGINS) {
      const a = await make(bad.headers);
      if (a.status === 403) attempts++;
      record(C, { ...a, path: `${a.path} [${bad.label}]` }, as, `${label} refused with 403 and a plain message`, refusedWith(a, [403]));
    }
  }
  if (admin && before !== null) {
    const after = await refusedRows(admin);
    const added = after === null ? -1 : after - before;
    record(C, { method: "GET", path: "/api/audit/export?outcome=refused", status: 200, body: `${added} refused row(s) added for ${attempts} mutations answered 403` }, admin, `a refused audit row for each of the ${attempts} refusals by origin`, added >= attempts && attempts > 0);
  } else skip(C, "the audit export could not be read as admin");
}

// ---------------------------------------------------------------------------------------------
// 6. Bad input.

const BAD_DATES = ["9999-12-31", "0001-01-01", "2026-02-30", "2026-13-45", "20260101", "2026-1-1", "%00", "<script>"];
const BAD_IDS = ["0", "-1", "abc", "1e3", "99999999999", "1.5", "%20", "0x10", "１"];

async function badInput(w: World): Promise<void> {
  const C = "6 bad input";
  const admin = account("admin");
  if (!admin) return skip(C, "no admin", 200);
  const lead = account("lead");
  const page = async (target: string, as: Account = admin) => {
    const a = await send("GET", target, { as });
    const problem = pageProblem(a);
    record(C, problem ? { ...a, body: `${problem}: ${a.body}` } : a, as, "the page, with its error summary, or not found; never the error page or an internal message", !problem);
  };
  const api = async (a: Answer, as: Account = admin, statuses = [400, 404]) => record(C, a, as, `${statuses.join("/")} with a plain message naming the value`, refusedWith(a, statuses));

  const dashboards = ["/", "/escalations", "/themes", "/dissent", "/data-quality", "/records", "/reports", "/scrutiny", "/agencies/HCC-CS"];
  const recordPage = w.hantsRecord ? `/records/hampshire/${w.hantsRecord.id}` : null;
  for (const date of BAD_DATES.slice(0, 5)) {
    for (const d of dashboards) await page(`${d}?partnership=hampshire&asOf=${date}`);
    if (recordPage) await page(`${recordPage}?asOf=${date}`);
    if (lead) await page(`/agencies/HIOWC?asOf=${date}`, lead);
  }
  for (const [field, value] of [["quarter", "9999-Q4"], ["quarter", "0001-Q1"], ["quarter", "2026-Q9"], ["from", "1900-Q1"], ["from", "9999-Q1"], ["partnership", "'%20or%201=1--"], ["agency", "x".repeat(300)], ["theme", "%00"]] as const) {
    for (const d of ["/", "/escalations", "/dissent", "/records"]) await page(`${d}?partnership=hampshire&${field}=${value}`);
  }
  // tRPC inputs: a plain 400, never a raw validation dump or an internal message.
  const hants = ["hampshire"];
  for (const date of BAD_DATES.slice(0, 3)) {
    const withDate: Array<[string, unknown]> = [
      ["metrics.overview", { partnerships: hants, quarter: w.quarter, asOf: date }],
      ["metrics.trends", { partnerships: hants, asOf: date }],
      ["metrics.breakdowns", { partnerships: hants, from: w.from, to: w.quarter, asOf: date }],
      ["metrics.dissent", { partnerships: hants, from: w.from, to: w.quarter, asOf: date }],
      ["metrics.agencyMatrix", { partnerships: hants, quarter: w.quarter, asOf: date }],
      ["metrics.overdue", { partnerships: hants, asOf: date }],
      ["records.first", { partnerships: hants, from: w.from, to: w.quarter, asOf: date }],
      ["records.get", { partnership: "hampshire", id: w.hantsRecord?.id ?? 1, asOf: date }],
      ["agencies.profile", { agency: "HCC-CS", asOf: date }],
      ["reports.board", { partnerships: hants, quarter: w.quarter, asOf: date }],
    ];
    // The audit log's dates are filters, not as-of dates: only an impossible one must be refused.
    if (date === "2026-02-30") withDate.push(["audit.list", { from: date }]);
    for (const [name, input] of withDate) await api(await trpc("query", name, input, { as: admin }), admin, [400]);
  }
  for (const [name, input] of [
    ["metrics.overview", { partnerships: hants, quarter: "9999-Q4" }],
    ["metrics.dataQuality", { partnerships: hants, from: "0001-Q1", to: w.quarter }],
    ["metrics.breakdowns", { partnerships: hants, from: w.quarter, to: w.from }],
    ["metrics.overview", { partnerships: [], quarter: w.quarter }],
    ["metrics.overview", { partnerships: ["x".repeat(5000)], quarter: w.quarter }],
    ["metrics.trends", { partnerships: hants, quarters: 1e9 }],
    ["records.get", { partnership: "hampshire", id: 0 }],
    ["records.get", { partnership: "hampshire", id: -1 }],
    ["records.get", { partnership: "hampshire", id: 99999999999 }],
    ["records.get", { partnership: "hampshire", id: "1" }],
    ["reports.issuedReport", { id: 0 }],
    ["scrutiny.sample", { id: 1.5 }],
    ["audit.list", { action: "a".repeat(500) }],
    ["audit.list", { limit: -1 }],
  ] as Array<[string, unknown]>) {
    await api(await trpc("query", name, input, { as: admin }), admin, [400, 404]);
  }
  await api(await send("GET", "/api/trpc/metrics.overview?input=not-json", { as: admin }), admin, [400]);
  await api(await send("GET", `/api/trpc/metrics.overview?input=${encodeURIComponent('{"json":null}')}`, { as: admin }), admin, [400]);
  await api(await send("POST", "/api/trpc/users.reset", { as: admin, body: "{not json", contentType: "application/json" }), admin, [400]);
  await api(await send("POST", "/api/trpc/users.reset", { as: admin, body: new Uint8Array([0, 255, 1, 254]), contentType: "application/octet-stream" }), admin, [400, 415]);
  await api(await send("GET", "/api/trpc/no.such.procedure", { as: admin }), admin, [404]);
  await api(await send("GET", `/api/trpc/users.reset?input=${encodeURIComponent('{"json":{"email":"x@y.z"}}')}`, { as: admin }), admin, [405, 400]);

  // Ids.
  for (const id of BAD_IDS) {
    await page(`/reports/issued/${id}`);
    await page(`/scrutiny/${id}`);
    await page(`/records/hampshire/${id}`);
    await api(await send("GET", `/api/reports/issued/${id}`, { as: admin }));
    await api(await send("GET", `/api/scrutiny/${id}`, { as: admin }));
    await api(await send("GET", `/api/evidence/${id}`, { as: admin }));
    await api(await send("POST", `/api/evidence/${id}/issue`, { as: admin }));
    await api(await send("GET", `/api/uploads/batches/${id}/rejects`, { as: admin }));
    await api(await send("GET", `/api/uploads/${id}`, { as: admin }));
  }
  await page("/records/no-such-partnership/1");
  await page(`/records/${"x".repeat(500)}/1`);
  await page("/agencies/NO-SUCH-AGENCY");
  await page(`/agencies/${"%25".repeat(50)}`);

  // The audit log's filters.
  for (const query of ["from=2026-13-45", "to=0001-01-01", "from=9999-12-31", `action=${"a".repeat(500)}`, `actor=${"b".repeat(5000)}`, "outcome=everything", "from=2026-02-30"]) {
    await page(`/audit?${query}`);
    const a = await send("GET", `/api/audit/export?${query}`, { as: admin });
    record(C, a, admin, "400 with a plain message, or the (filtered) CSV", a.status === 200 ? /text\/csv/.test(a.headers.get("content-type") ?? "") : refusedWith(a, [400]));
  }

  // Downloads named after what every object has.
  for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString"]) {
    await api(await send("GET", `/api/downloads/${name}?partnership=hampshire&quarter=${w.quarter}&from=${w.from}`, { as: admin }), admin, [404]);
  }
  await api(await send("GET", `/api/downloads/records?partnership=hampshire&quarter=${w.quarter}&format=xlsx`, { as: admin }), admin, [400]);
  await api(await send("GET", `/api/downloads/trends?partnership=hampshire&quarter=2026-Q9`, { as: admin }), admin, [400]);
  await api(await send("GET", `/api/reports/board?partnership=hampshire&quarter=${w.quarter}&format=exe`, { as: admin }), admin, [400]);
  await api(await send("GET", `/api/reports/board?partnership=hampshire&quarter=${w.quarter}&asOf=9999-12-31&format=html`, { as: admin }), admin, [400]);
  await api(await send("GET", `/api/uploads/templates/nonsense`, { as: admin }), admin, [400, 404]);

  // Bodies that are not forms, to the form routes.
  const formRoutes: Array<[string, Account | undefined]> = [
    ["/api/evidence", account("oxLead")],
    ["/api/reports/issue", admin],
    ["/api/scrutiny/draw", admin],
    ["/api/scrutiny/finding", account("scrutineer")],
    [`/api/evidence/${w.tvpReturnId ?? 1}/issue`, admin],
  ];
  const bodies: Array<[string, string | Uint8Array<ArrayBuffer> | undefined, string | undefined]> = [
    ["JSON", JSON.stringify({ partnership: "hampshire", quarter: w.quarter }), "application/json"],
    ["empty", undefined, undefined],
    ["empty form", "", "application/x-www-form-urlencoded"],
    ["binary", new Uint8Array(randomBytes(2048)), "application/octet-stream"],
    ["multipart without boundary", "--x\r\n\r\n", "multipart/form-data"],
    ["multipart with a broken body", "--b\r\nContent-Disposition: form-data; name=\"partnership\"\r\n\r\nham", "multipart/form-data; boundary=b"],
    ["form with a 100,000-character field", `partnership=${"h".repeat(100_000)}&quarter=${w.quarter}`, "application/x-www-form-urlencoded"],
  ];
  for (const [route, as] of formRoutes) {
    if (!as) continue;
    for (const [label, body, type] of bodies) {
      const a = await send("POST", route, { as, body, contentType: type });
      const evidenceIssue = route.endsWith("/issue") && route.startsWith("/api/evidence/");
      // Issuing an evidence return reads no body: any answer but a 500 holds there.
      const held = evidenceIssue ? a.status < 500 && !plain({ ...a, body: a.status === 303 ? '{"error":"issued and redirected"}' : a.body }) : refusedWith(a, [400, 415]);
      record(C, { ...a, path: `${a.path} [${label}]` }, as, "400 (or 415) with a plain message", held);
    }
  }
  // Uploads with odd queries and bodies.
  const up = account("uploader");
  if (up) {
    for (const query of ["kind=nonsense&agency=HCC-CS&fileName=a.csv", "kind=escalations&fileName=a.csv", "kind=escalations&agency=HCC-CS", "kind=escalations&agency=HCC-CS&fileName=..%2F..%2Fetc%2Fpasswd", `kind=escalations&agency=${"A".repeat(2000)}&fileName=a.csv`]) {
      const a = await send("POST", `/api/uploads?${query}`, { as: up, body: "partnership,month\n", contentType: "text/csv" });
      record(C, a, up, "400/403 with a plain message, or a check that refuses the file", a.status === 202 || refusedWith(a, [400, 403]));
      const token = /"token":"([a-f0-9]{32})"/.exec(a.body)?.[1];
      if (token) await send("DELETE", `/api/uploads/${token}`, { as: up });
    }
    const empty = await send("POST", "/api/uploads?kind=escalations&agency=HCC-CS&fileName=a.csv", { as: up });
    record(C, empty, up, "400 with a plain message (no file)", refusedWith(empty, [400]));
  }
  // Huge query strings and repeated parameters.
  const huge = `/?partnership=hampshire&${"x=1&".repeat(3000)}`;
  const h = await send("GET", huge, { as: admin });
  record(C, h, admin, "the page, or a 4xx (400/414/431): never a 500", h.status < 500 && (h.status >= 400 || pageCopes(h)));
  const hugeApi = await send("GET", `/api/records?${"partnership=hampshire&".repeat(600)}quarter=${w.quarter}`, { as: admin });
  record(C, hugeApi, admin, "the records, or a 4xx: never a 500", hugeApi.status < 500);
  for (const target of [
    `/?partnership=hampshire&asOf=2025-01-01&asOf=garbage`,
    `/?partnership=hampshire&quarter=${w.quarter}&quarter=2026-Q9`,
    `/escalations?partnership=hampshire&partnership=hampshire&partnership=oxfordshire&partnership=nowhere`,
    `/records?partnership=hampshire&agency=HCC-CS&agency=TVP`,
    `/audit?from=2025-01-01&from=2026-13-45`,
  ]) await page(target);
  for (const target of [
    `/api/downloads/trends?partnership=hampshire&quarter=${w.quarter}&format=csv&format=arrow`,
    `/api/records?partnership=hampshire&quarter=${w.quarter}&quarter=2026-Q9&asOf=2026-01-01&asOf=9999-12-31`,
    `/api/reports/board?partnership=hampshire&quarter=${w.quarter}&format=html&format=pdf&exact=1&exact=2`,
  ]) {
    const a = await send("GET", target, { as: admin, timeoutMs: 90_000 });
    record(C, a, admin, "the answer for one of the values, or a plain 400: never a 500", a.status === 200 || refusedWith(a, [400]));
  }
}

// ---------------------------------------------------------------------------------------------
// 7. Headers.

async function headers(w: World): Promise<void> {
  const C = "7 headers";
  const admin = account("admin");
  if (!admin) return skip(C, "no admin", 20);
  const hants = ["hampshire"];
  const noStore = async (a: Answer, what: string) => record(C, { ...a, body: `cache-control: ${a.headers.get("cache-control")}; ${a.body.slice(0, 120)}` }, admin, `${what}: 200 with Cache-Control: no-store`, a.status === 200 && /no-store/.test(a.headers.get("cache-control") ?? ""));
  if (w.hantsRecord) await noStore(await trpc("query", "records.get", { partnership: "hampshire", id: w.hantsRecord.id }, { as: admin }), "tRPC records.get");
  await noStore(await trpc("query", "records.first", { partnerships: hants, from: w.from, to: w.quarter }, { as: admin }), "tRPC records.first");
  await noStore(await trpc("query", "metrics.overdue", { partnerships: hants }, { as: admin }), "tRPC metrics.overdue");
  if (w.oxSampleId) await noStore(await trpc("query", "scrutiny.sample", { id: w.oxSampleId }, { as: admin }), "tRPC scrutiny.sample");
  await noStore(await trpc("query", "users.list", undefined, { as: admin }), "tRPC users.list");
  await noStore(await trpc("query", "audit.list", {}, { as: admin }), "tRPC audit.list");
  await noStore(await send("GET", `/api/records?partnership=hampshire&quarter=${w.quarter}&from=${w.from}`, { as: admin }), "/api/records");
  for (const dataset of ["trends", "agency-matrix", "data-quality", "overdue", "records"]) {
    for (const format of ["csv", "arrow"]) await noStore(await send("GET", `/api/downloads/${dataset}?partnership=hampshire&quarter=${w.quarter}&from=${w.from}&format=${format}`, { as: admin }), `download ${dataset} ${format}`);
  }
  if (w.oxSampleId) await noStore(await send("GET", `/api/scrutiny/${w.oxSampleId}?format=csv`, { as: admin }), "sample CSV");
  if (w.occBatchId) await noStore(await send("GET", `/api/uploads/batches/${w.occBatchId}/rejects`, { as: admin }), "rejects CSV");
  await noStore(await send("GET", "/api/audit/export", { as: admin }), "audit export");
  if (w.hantsRecord) await noStore(await send("GET", `/records/hampshire/${w.hantsRecord.id}`, { as: admin }), "the record page");
  for (const target of ["/", "/records", "/audit", "/admin/users", "/uploads", "/sign-in", "/glossary"]) {
    const a = await send("GET", target, { as: admin });
    const csp = a.headers.get("content-security-policy") ?? "";
    const script = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? "";
    const held = a.status === 200 && /'nonce-[A-Za-z0-9+/=_-]{16,}'/.test(script) && !/'unsafe-inline'/.test(script);
    // Every inline script on the page carries the nonce, or the page would not run.
    const nonce = /'nonce-([^']+)'/.exec(script)?.[1];
    const inline = [...a.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    const unnonced = nonce ? inline.filter((m) => !m[1]!.includes(`nonce="${nonce}"`)).length : 0;
    record(C, { ...a, body: `script-src ${script || "(none)"}; ${unnonced} inline script(s) without the nonce` }, admin, "a CSP whose script-src has a nonce and no 'unsafe-inline' (each inline script nonced)", held && unnonced === 0);
  }
  const signInPage = await send("GET", "/sign-in");
  record(C, { ...signInPage, body: `x-frame-options ${signInPage.headers.get("x-frame-options")}; csp ${signInPage.headers.get("content-security-policy")?.slice(0, 150)}` }, undefined, "the sign-in page cannot be framed (frame-ancestors 'none' or X-Frame-Options DENY)", /frame-ancestors 'none'/.test(signInPage.headers.get("content-security-policy") ?? "") || signInPage.headers.get("x-frame-options") === "DENY");
}

// ---------------------------------------------------------------------------------------------
// 8. Rate limiting.

async function rateLimits(): Promise<void> {
  const C = "8 rate limit";
  const admin = account("admin");
  const rate = ACCOUNTS.find((a) => a.key === "rate")!;
  const attempt = (address?: string) =>
    send("POST", "/api/auth/sign-in/email", { body: JSON.stringify({ email: rate.email, password: "wrong-password-for-the-probe" }), contentType: "application/json", headers: address ? { "x-forwarded-for": address } : {} });
  const auditRows = async () => {
    if (!admin) return null;
    const a = await send("GET", `/api/audit/export?actor=${encodeURIComponent(rate.email)}`, { as: admin });
    return a.status === 200 ? a.body.split("\n").filter((l) => l.trim()).length - 1 : null;
  };
  const before = await auditRows();
  // From one address: limited by the sixth try.
  const address = "10.250.0.1";
  let limited: Answer | null = null;
  let tries = 0;
  for (; tries < 8 && !limited; tries++) {
    const a = await attempt(address);
    if (a.status === 429) limited = a;
  }
  const last = limited ?? (await attempt(address));
  record(C, { ...last, path: `${last.path} (${tries} failed sign-ins from one address)` }, rate.email, "429 by the sixth failed sign-in, with a plain message", !!limited && tries <= 6 && !plain(limited));
  if (limited) {
    const after = await auditRows();
    record(C, { method: "GET", path: `/api/audit/export?actor=${rate.email}`, status: 200, body: `${after === null || before === null ? "unreadable" : after - before} row(s) for ${tries} attempts` }, admin, "every attempt audited, the refused (429) ones too", after !== null && before !== null && after - before >= tries);
  }
  // A new X-Forwarded-For each try: the client chooses it, so it must not buy more tries.
  let rotatedLimited = false;
  let rotated = 0;
  for (; rotated < 10 && !rotatedLimited; rotated++) {
    const a = await attempt(`10.251.${rotated}.${rotated + 1}`);
    if (a.status === 429) rotatedLimited = true;
  }
  record(C, { method: "POST", path: "/api/auth/sign-in/email (a new X-Forwarded-For each try)", status: rotatedLimited ? 429 : 401, body: `${rotated} failed sign-ins, ${rotatedLimited ? "then limited" : "never limited"}` }, rate.email, "429 within 6 tries whatever X-Forwarded-For says", rotatedLimited && rotated <= 6);
  // Many addresses in one header.
  let listLimited = false;
  let listed = 0;
  for (; listed < 10 && !listLimited; listed++) {
    const a = await attempt(`203.0.113.${listed + 1}, 10.252.0.1`);
    if (a.status === 429) listLimited = true;
  }
  record(C, { method: "POST", path: "/api/auth/sign-in/email (X-Forwarded-For lists two addresses)", status: listLimited ? 429 : 401, body: `${listed} failed sign-ins, ${listLimited ? "then limited" : "never limited"}` }, rate.email, "429 within 6 tries", listLimited && listed <= 6);
}

// ---------------------------------------------------------------------------------------------
// Setting up and tearing down.

function run(command: string[], options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string }): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, command, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.stdin.end(options.stdin ?? "");
    const timer = setTimeout(() => child.kill("SIGKILL"), 600_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

interface Served {
  stop(): Promise<void>;
  output(): string;
}

async function setUpWorld(): Promise<Served> {
  if (!fs.existsSync(path.join(TREE, ".next", "BUILD_ID"))) throw new Error(`${TREE} has no build: run NEXT_TELEMETRY_DISABLED=1 npx next build there first.`);
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "probe-")));
  const dataDir = path.join(tmp, ".data");
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" };
  delete env.DATABASE_URL;
  const removeTmp = () => {
    if (args.keep) console.log(`kept the probe's folder ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  };
  let child: ChildProcess | null = null;
  let output = "";
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) {
        removeTmp();
        return resolve();
      }
      const kill = setTimeout(() => child?.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(kill);
        removeTmp();
        resolve();
      });
      child.kill("SIGTERM");
    });
  try {
    // The demo loads only into the default data folder (./.data beside the working directory), so it
    // runs from the temporary folder, which holds only a link to the tree's db/ (migrations, reference data).
    fs.symlinkSync(path.join(TREE, "db"), path.join(tmp, "db"));
    const tsx = path.join(TREE, "node_modules", "tsx", "dist", "cli.mjs");
    console.log(`setting up in ${tmp}: the demo data (a minute or two)`);
    const demo = await run([tsx, path.join(TREE, "scripts", "demo.ts")], { cwd: tmp, env });
    if (demo.code !== 0 || !/Loaded the demo/.test(demo.output)) throw new Error(`The demo did not load:\n${demo.output}`);
    for (const a of ACCOUNTS) {
      a.password = `probe-${randomBytes(12).toString("hex")}`;
      const command = a.added
        ? ["users", "add", "--email", a.email, "--role", a.role, "--scope", a.scope, "--name", `Probe ${a.key}`, "--password-stdin"]
        : ["users", "reset", "--email", a.email, "--password-stdin"];
      const done = await run([tsx, path.join(TREE, "scripts", "cli.ts"), ...command], { cwd: TREE, env, stdin: a.password });
      if (done.code !== 0) throw new Error(`users ${command[1]} ${a.email} failed:\n${done.output}`);
    }
    const port = await freePort();
    APP = `http://127.0.0.1:${port}`;
    console.log(`serving ${TREE} at ${APP}`);
    const started = spawn(process.execPath, [path.join(TREE, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: TREE,
      env: { ...env, BETTER_AUTH_URL: APP },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    started.stdout.on("data", (d) => (output += d));
    started.stderr.on("data", (d) => (output += d));
    for (let attempt = 0; ; attempt++) {
      const a = await send("GET", "/sign-in", { timeoutMs: 5000 });
      if (a.status === 200) break;
      if (attempt > 150 || started.exitCode !== null) throw new Error(`The app did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    return { stop, output: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}

function readAccountsFile(file: string): void {
  const given = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, { email?: string; password?: string }>;
  for (const a of ACCOUNTS) {
    const g = given[a.key];
    if (g?.password) {
      a.password = g.password;
      if (g.email) a.email = g.email;
    }
  }
}

function printTable(): void {
  const rows = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.reduce((t, [, c]) => ({ tried: t.tried + c.tried, held: t.held + c.held, skipped: t.skipped + c.skipped }), { tried: 0, held: 0, skipped: 0 });
  const line = (name: string, c: { tried: number; held: number; skipped: number }) =>
    `${name.padEnd(18)} ${String(c.tried).padStart(6)} ${String(c.held).padStart(6)} ${String(c.tried - c.held).padStart(7)} ${String(c.skipped).padStart(8)}`;
  console.log(`\n${"category".padEnd(18)} ${"tried".padStart(6)} ${"held".padStart(6)} ${"failed".padStart(7)} ${"skipped".padStart(8)}`);
  for (const [name, c] of rows) console.log(line(name, c));
  console.log(line("total", total));
  if (failures.length) {
    console.log(`\nFailures (${failures.length}):`);
    for (const f of failures) {
      console.log(`- [${f.category}] ${f.method} ${f.path} as ${f.as}\n    expected: ${f.expected}\n    got: ${f.status} ${f.body}`);
    }
  }
}

async function main(): Promise<void> {
  let served: Served | null = null;
  const interrupted = () => {
    console.log("\ninterrupted: stopping the app");
    void (served?.stop() ?? Promise.resolve()).then(() => process.exit(2));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    if (APP) {
      if (!args.accounts) throw new Error("--url needs --accounts FILE.json (see the header of bench/probe.ts).");
      readAccountsFile(args.accounts);
    } else served = await setUpWorld();
    console.log("signing in");
    for (const a of ACCOUNTS.filter((x) => x.signIn && x.password)) {
      const answer = await signIn(a.email, a.password!);
      if (answer.status !== 200) {
        console.log(`  ${a.email} could not sign in (${answer.status} ${answer.body.slice(0, 120)}); its probes are skipped`);
        a.password = undefined;
      } else a.cookie = cookieOf(answer);
    }
    console.log("finding what to aim at");
    const world = await discover();
    console.log(`  ${JSON.stringify(world)}`);
    const categories: Array<[string, () => Promise<void>]> = [
      ["1 signed out", () => signedOut(world)],
      ["2 cross-scope", () => crossScope(world)],
      ["3 same answer", () => sameAnswer(world)],
      ["4 open redirect", () => openRedirects()],
      ["5 origin", () => origins(world)],
      ["6 bad input", () => badInput(world)],
      ["7 headers", () => headers(world)],
      // Last: it leaves the sign-in limited for the addresses it used.
      ["8 rate limit", () => rateLimits()],
    ];
    for (const [name, probe] of categories) {
      if (!wanted(name)) continue;
      const started = Date.now();
      await probe();
      const c = count(name);
      console.log(`${name}: ${c.held}/${c.tried} held (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    if (served && /Request failed|tRPC .* failed/.test(served.output())) {
      const logged = served.output().split("\n").filter((l) => /Request failed|tRPC .* failed/.test(l)).length;
      console.log(`\nthe app logged ${logged} unexpected failure(s) while probed`);
    }
  } finally {
    await served?.stop();
  }
  printTable();
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
