/**
 * Every page in headless Chromium against the production build (issue 16): as an admin on an EMPTY
 * warehouse (no reference data, as a new deployment starts), then on a small loaded world. No page
 * answers 500, none has a serious or critical axe finding, and the empty pages say what to do.
 * Hostile page URLs (dates outside the calendar, ids that no record could have, an audit filter
 * that is not a date or is far too long) give the page's error summary naming the value, or the
 * not-found page; "exists but not yours" looks exactly like "does not exist". Sign-in returns only
 * to paths on this site. Scripts run under a per-request nonce (no 'unsafe-inline'), and the pages'
 * client components still hydrate.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { sql } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWarehouse, queryRows, type Db } from "../db/client";
import { createAuth } from "../server/access/auth";
import { addUser } from "../server/access/users";
import { freePort, startApp, type RunningApp } from "./support/app";
import { launchBrowser } from "./support/browser";
import { useTestWarehouse } from "./support/db";
import { loadHandWorkedWorld } from "./support/handWorld";

const ADMIN = { email: "admin@pages.example", password: "pages-password-1234" };
/** A business manager of the other partnership only: north's records are not theirs. */
const SOUTH_ADMIN = { email: "admin@south.example", password: "south-password-1234" };
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const SECRET = "pages-auth-secret-pages-auth-secret-01234";

/** Every page an admin can open, and on an empty warehouse what it says to do. */
const PAGES: Array<{ path: string; empty: "no-partnerships" | "no-agencies" | "not-found" | null; ready?: string }> = [
  { path: "/", empty: "no-partnerships" },
  { path: "/escalations", empty: "no-partnerships" },
  { path: "/themes", empty: "no-partnerships" },
  { path: "/dissent", empty: "no-partnerships" },
  { path: "/data-quality", empty: "no-partnerships" },
  { path: "/records", empty: "no-partnerships", ready: "#records[data-rows]" },
  { path: "/reports", empty: "no-partnerships" },
  { path: "/scrutiny", empty: "no-partnerships" },
  { path: "/agencies/CSC", empty: "not-found" },
  { path: "/uploads", empty: "no-agencies" },
  { path: "/audit", empty: null },
  { path: "/admin/users", empty: null },
  { path: "/glossary", empty: null },
];

const ctx = useTestWarehouse();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-pages-"));
const dataDir = path.join(scratch, "data");
let app: RunningApp | undefined;
let browser: Browser;

/** Runs `work` on the warehouse the app serves, while the app is stopped (an embedded folder has one owner). */
async function onWarehouse<T>(work: (db: Db) => Promise<T>): Promise<T> {
  if (ctx.databaseUrl) return work(ctx.db);
  const warehouse = await openWarehouse({ dataDir });
  try {
    return await work(warehouse.db);
  } finally {
    await warehouse.close();
  }
}

async function serve(): Promise<RunningApp> {
  return ctx.databaseUrl
    ? startApp({ DATABASE_URL: ctx.databaseUrl, BETTER_AUTH_SECRET: SECRET })
    : startApp({ DATA_DIR: dataDir, BETTER_AUTH_SECRET: SECRET });
}

interface Visitor {
  context: BrowserContext;
  consoleErrors: string[];
}

async function signIn(person: { email: string; password: string }, next?: string): Promise<{ visitor: Visitor; landed: URL }> {
  const context = await browser.newContext();
  const consoleErrors: string[] = [];
  context.on("page", (page) => {
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(`${page.url()}: ${m.text()}`));
    page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  });
  const page = await context.newPage();
  await page.goto(`${app!.url}/sign-in${next === undefined ? "" : `?next=${next}`}`);
  await page.getByLabel("Email address").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in") || u.origin !== app!.url);
  const landed = new URL(page.url());
  await page.close();
  return { visitor: { context, consoleErrors }, landed };
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (options: unknown) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
  });
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Visits every page: its status, and (for pages that answer) its serious accessibility findings. */
async function visitEveryPage(visitor: Visitor, expectEmpty: boolean): Promise<{ statuses: Record<string, number>; problems: string[]; empties: Record<string, string> }> {
  const page = await visitor.context.newPage();
  const statuses: Record<string, number> = {};
  const empties: Record<string, string> = {};
  const problems: string[] = [];
  for (const visit of PAGES) {
    const response = await page.goto(`${app!.url}${visit.path}`);
    statuses[visit.path] = response?.status() ?? 0;
    if (statuses[visit.path] !== 200) continue;
    if (expectEmpty && visit.empty && visit.empty !== "not-found") {
      empties[visit.path] = ((await page.locator(`[data-empty="${visit.empty}"]`).textContent({ timeout: 5_000 }).catch(() => "")) ?? "").replace(/\s+/g, " ");
    } else if (visit.ready) {
      await page.locator(visit.ready).waitFor();
    }
    for (const violation of await seriousViolations(page)) problems.push(`${visit.path}: ${violation}`);
  }
  await page.close();
  return { statuses, problems, empties };
}

beforeAll(async () => {
  await onWarehouse((db) =>
    addUser(db, createAuth(db, { secret: "unused-for-hashing-unused-for-hashing-0" }), { email: ADMIN.email, role: "admin", scope: "all" }, "test", ADMIN.password),
  );
  app = await serve();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("an empty warehouse (a new deployment, before any reference data)", () => {
  let admin: Visitor;

  it("every page answers as an admin, without a 500 or a serious accessibility fault, and says what to do", async () => {
    ({ visitor: admin } = await signIn(ADMIN));
    const { statuses, problems, empties } = await visitEveryPage(admin, true);
    // The agency's profile: there is no agency CSC yet, so not found; every other page answers.
    expect(statuses).toEqual(Object.fromEntries(PAGES.map((p) => [p.path, p.empty === "not-found" ? 404 : 200])));
    expect(problems).toEqual([]);
    for (const visit of PAGES.filter((p) => p.empty === "no-partnerships")) {
      expect([visit.path, empties[visit.path]]).toEqual([visit.path, expect.stringContaining("No partnerships are set up yet.")]);
      expect(empties[visit.path]).toContain("npm run cli -- config load FILE");
    }
    expect(empties["/uploads"]).toContain("No agencies are set up yet");
    // Refused pages answer 404 and Chromium logs that; nothing else may reach the console (a CSP refusal would).
    expect(admin.consoleErrors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });

  it("sign-in sends nobody to another site, whatever `next` says", async () => {
    // As the address bar carries them (decoded by the page: "/\evil.example", "/<tab>/evil.example", ...).
    const hostile = ["/%5Cevil.example", "/%5C%5Cevil.example", "/%09/evil.example", "/%09evil", "//evil.example", "https://evil.example", "javascript:alert(1)", "/%0A/evil.example"];
    const page = await browser.newPage();
    const kept: Record<string, string | null> = {};
    for (const next of hostile) {
      await page.goto(`${app!.url}/sign-in?next=${next}`);
      kept[next] = await page.locator('input[name="next"]').getAttribute("value");
    }
    expect(kept).toEqual(Object.fromEntries(hostile.map((n) => [n, "/"])));
    // A page reached signed out comes back to itself after sign-in.
    await page.goto(`${app!.url}/records/north/1?asOf=2026-01-09`);
    expect(await page.locator('input[name="next"]').getAttribute("value")).toBe("/records/north/1");
    await page.close();
    // Signing in for real with the first finding's value lands on this site's start page.
    const { landed } = await signIn(ADMIN, "/%5Cevil.example");
    expect([landed.origin, landed.pathname]).toEqual([app!.url, "/"]);
  });
});

describe("a small loaded world", () => {
  let admin: Visitor;
  let recordId: number;

  beforeAll(async () => {
    await app!.stop();
    app = undefined;
    recordId = await onWarehouse(async (db) => {
      await loadHandWorkedWorld(db);
      await addUser(db, createAuth(db, { secret: "unused-for-hashing-unused-for-hashing-0" }), { email: SOUTH_ADMIN.email, role: "admin", scope: "south" }, "test", SOUTH_ADMIN.password);
      const [row] = await queryRows<{ id: number }>(db, sql`select e.id from escalations e join partnerships p on p.id = e.partnership_id where p.code = 'north' order by e.id limit 1`);
      return Number(row!.id);
    });
    app = await serve();
    ({ visitor: admin } = await signIn(ADMIN));
  });

  it("every page answers as an admin, without a 500 or a serious accessibility fault", async () => {
    const { statuses, problems } = await visitEveryPage(admin, false);
    expect(statuses).toEqual(Object.fromEntries(PAGES.map((p) => [p.path, 200])));
    expect(problems).toEqual([]);
    expect(admin.consoleErrors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });

  it("dates outside the calendar give each page's error summary naming the date, never a 500", async () => {
    const page = await admin.context.newPage();
    const pages = ["/", "/escalations", "/themes", "/dissent", "/data-quality", "/records", "/reports", "/scrutiny", "/agencies/CSC", `/records/north/${recordId}`];
    const answers: string[] = [];
    for (const date of ["9999-12-31", "0001-01-01", "2026-02-30", "yesterday"]) {
      for (const p of pages) {
        const response = await page.goto(`${app!.url}${p}?asOf=${date}`);
        const summary = (await page.locator(".govuk-error-summary").textContent({ timeout: 5_000 }).catch(() => null)) ?? "";
        answers.push(`${p} ${date}: ${response?.status()} ${summary.includes(`"${date}"`) ? "names it" : summary || "no summary"}`);
      }
    }
    expect(answers).toEqual(["9999-12-31", "0001-01-01", "2026-02-30", "yesterday"].flatMap((d) => pages.map((p) => `${p} ${d}: 200 names it`)));
    await page.close();
  });

  it("ids no record could have are the not-found page; another partnership's record looks exactly the same", async () => {
    const page = await admin.context.newPage();
    const answers: string[] = [];
    for (const id of ["0", "-1", "abc", "1e3", "99999999999", "2147483648", "99999"]) {
      for (const base of ["/reports/issued", "/scrutiny", "/records/north"]) {
        const response = await page.goto(`${app!.url}${base}/${id}`);
        const heading = await page.locator("h1").first().textContent();
        answers.push(`${base}/${id}: ${response?.status()} ${heading}`);
      }
    }
    expect(answers.filter((a) => !a.endsWith(": 404 Page not found"))).toEqual([]);
    const missing = await page.goto(`${app!.url}/records/north/99999`);
    const missingText = await page.locator("main").innerText();
    await page.close();

    const { visitor: south } = await signIn(SOUTH_ADMIN);
    const other = await south.context.newPage();
    const mine = await other.goto(`${app!.url}/records/north/99999`);
    const mineText = await other.locator("main").innerText();
    const notYours = await other.goto(`${app!.url}/records/north/${recordId}`);
    expect([notYours?.status(), await other.locator("main").innerText()]).toEqual([mine?.status(), mineText]);
    expect([missing?.status(), missingText]).toEqual([404, mineText]);
    await south.context.close();
  });

  it("the audit log's filters: a date that is not one, and a 500-character action, are named in its error summary", async () => {
    const page = await admin.context.newPage();
    const bad = await page.goto(`${app!.url}/audit?from=2026-13-45`);
    expect(bad?.status()).toBe(200);
    expect(await page.locator(".govuk-error-summary").textContent()).toContain('"2026-13-45" is not a real date');
    const long = await page.goto(`${app!.url}/audit?action=${"a".repeat(500)}`);
    expect(long?.status()).toBe(200);
    expect(await page.locator(".govuk-error-summary").textContent()).toContain("The action is longer than 60 characters");
    // The log itself is still listed (the bad filter is left out).
    expect(await page.locator("table.history tbody tr").count()).toBeGreaterThan(0);
    await page.close();
  });

  it("scripts run under this response's nonce only, and the client components still work", async () => {
    const page = await admin.context.newPage();
    const first = await page.goto(`${app!.url}/uploads`);
    const policy = first?.headers()["content-security-policy"] ?? "";
    const scriptSrc = policy.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src")) ?? "";
    expect(scriptSrc).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'$/);
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1];
    const second = await page.request.get(`${app!.url}/uploads`);
    expect(second.headers()["content-security-policy"]).not.toContain(nonce);
    // The upload form is a client component: pressing its button with nothing chosen is answered in the page.
    await page.getByRole("button", { name: "Upload and check" }).click();
    await expect.poll(() => page.locator(".error-summary").innerText()).toContain("Choose the agency whose log this is.");
    // The records table fetches its rows in the browser.
    await page.goto(`${app!.url}/records?partnership=north&quarter=2025-Q4&from=2025-Q3&asOf=2026-01-09`);
    await page.locator("#records[data-rows]").waitFor();
    expect(Number(await page.locator("#records").getAttribute("data-rows"))).toBeGreaterThan(0);
    // An inline script in the page's HTML (as an injection would put it) is refused, while the page's own still run.
    await page.route(`${app!.url}/uploads`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace("</body>", "<script>window.__injected = true</script></body>");
      await route.fulfill({ response, body });
    });
    await page.goto(`${app!.url}/uploads`);
    await page.getByRole("button", { name: "Upload and check" }).click();
    await expect.poll(() => page.locator(".error-summary").innerText()).toContain("Choose the agency whose log this is.");
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    await page.close();
    expect(admin.consoleErrors.filter((e) => !/status of 404|Content Security Policy/.test(e))).toEqual([]);
  });
});

describe("a deployment on another address, started as a host starts it", () => {
  it("`npm start` serves on PORT, and sign-in without BETTER_AUTH_URL says the address is refused and how to fix it", async () => {
    const port = await freePort();
    // As a host runs it: vitest sets NODE_ENV=test and TEST=true, under which better-auth checks no origin.
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), DATA_DIR: path.join(scratch, "elsewhere"), NEXT_TELEMETRY_DISABLED: "1" };
    delete env.BETTER_AUTH_URL;
    delete env.DATABASE_URL;
    delete env.TEST;
    // Its own process group, so that npm, the shell and the server stop together.
    const child = spawn("npm", ["start", "--", "-H", "127.0.0.1"], { env, detached: true, stdio: "ignore" });
    const url = `http://127.0.0.1:${port}`;
    try {
      for (let attempt = 0; ; attempt++) {
        const answered = await fetch(`${url}/sign-in`).then((r) => r.ok, () => false);
        if (answered) break;
        if (attempt > 150 || child.exitCode !== null) throw new Error("npm start did not serve on PORT");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // Someone who has used the site before: better-auth checks the origin of requests that carry cookies.
      const visitor = await browser.newContext();
      await visitor.addCookies([{ name: "ew-seen", value: "1", url }]);
      const page = await visitor.newPage();
      await page.goto(`${url}/sign-in`);
      await page.getByLabel("Email address").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      const problem = await page.locator(".error-summary").innerText();
      expect(problem).toContain(`Sign-in is refused at this address (${url}): the warehouse is set up to be reached at http://localhost:3000.`);
      expect(problem).toContain(`set BETTER_AUTH_URL to the address people use (${url})`);
      expect(problem).not.toContain("disabled");
      await visitor.close();
    } finally {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        process.kill(-child.pid!, "SIGTERM");
      });
    }
  });
});
