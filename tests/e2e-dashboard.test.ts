/**
 * The dashboard in headless Chromium against the production build, as each role: every page loads
 * without console errors and without serious or critical axe-core violations, people see only what
 * their role allows, the figures on the page equal the API's for the same filters (and the
 * hand-worked figures of tests/board-report.test.ts), filters round-trip through the URL and the
 * back button, and the records table works by keyboard.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { sql } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { tableFromIPC } from "apache-arrow";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWarehouse, type Db } from "../db/client";
import { createAuth } from "../server/access/auth";
import { addUser } from "../server/access/users";
import { startApp, type RunningApp } from "./support/app";
import { launchBrowser } from "./support/browser";
import { useTestWarehouse } from "./support/db";
import { loadHandWorkedWorld } from "./support/handWorld";

type Role = "admin" | "board" | "scrutineer" | "agency_lead" | "uploader";
const PEOPLE: Record<Role, { email: string; scope: string }> = {
  admin: { email: "admin@north.example", scope: "north" },
  board: { email: "board@north.example", scope: "north" },
  scrutineer: { email: "scrutineer@north.example", scope: "north" },
  agency_lead: { email: "lead@north.example", scope: "CSC" },
  uploader: { email: "uploader@north.example", scope: "CSC" },
};
const PASSWORD = "dashboard-password-123";
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// The hand-worked quarter: 2025-Q4 as of Friday 9 January 2026 (north labels quarters by financial year here: Q3 2025/26).
const VIEW = "partnership=north&quarter=2025-Q4&asOf=2026-01-09";
const RUN = `${VIEW}&from=2025-Q3`;

/** Where each role lands on each page: the page itself, another page (a redirect), or "not found". */
const PAGES: Array<{ path: string; ready?: string; expect: Record<Role, "page" | "not-found" | string> }> = [
  { path: `/?${VIEW}`, expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "/agencies/CSC", uploader: "/uploads" } },
  { path: `/escalations?${RUN}`, expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "/agencies/CSC", uploader: "/uploads" } },
  { path: `/themes?${RUN}`, expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "/agencies/CSC", uploader: "/uploads" } },
  { path: `/dissent?${RUN}`, expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "/agencies/CSC", uploader: "/uploads" } },
  { path: `/data-quality?${RUN}`, expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "/agencies/CSC", uploader: "/uploads" } },
  { path: "/agencies/CSC?quarter=2025-Q4&asOf=2026-01-09", expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "page", uploader: "not-found" } },
  { path: "/agencies/HLT?quarter=2025-Q4&asOf=2026-01-09", expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "not-found", uploader: "not-found" } },
  { path: `/records?${RUN}`, ready: "#records[data-rows]", expect: { admin: "page", board: "not-found", scrutineer: "page", agency_lead: "page", uploader: "not-found" } },
  { path: `/reports?${VIEW}`, expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "/agencies/CSC", uploader: "/uploads" } },
  { path: "/scrutiny?partnership=north", expect: { admin: "page", board: "not-found", scrutineer: "page", agency_lead: "page", uploader: "not-found" } },
  { path: "/glossary", expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "page", uploader: "page" } },
  // The pages that came before the dashboard: each answers every role (with a plain message where the role has no access).
  { path: "/uploads", expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "page", uploader: "page" } },
  { path: "/audit", expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "page", uploader: "page" } },
  { path: "/admin/users", expect: { admin: "page", board: "page", scrutineer: "page", agency_lead: "page", uploader: "page" } },
];

async function prepare(db: Db): Promise<void> {
  await loadHandWorkedWorld(db);
  await db.execute(sql`update partnerships set quarter_labels = 'financial' where code = 'north'`);
  const auth = createAuth(db, { secret: "unused-for-hashing-unused-for-hashing-0" });
  for (const [role, person] of Object.entries(PEOPLE)) {
    await addUser(db, auth, { email: person.email, role: role as Role, scope: person.scope }, "test", PASSWORD);
  }
}

const ctx = useTestWarehouse();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-dash-"));
let app: RunningApp;
let browser: Browser;
const contexts = new Map<Role, BrowserContext>();
const consoleErrors = new Map<Role, string[]>();

async function signedIn(role: Role): Promise<BrowserContext> {
  const held = contexts.get(role);
  if (held) return held;
  const context = await browser.newContext();
  const errors: string[] = [];
  consoleErrors.set(role, errors);
  context.on("page", (page) => {
    page.on("console", (m) => m.type() === "error" && errors.push(`${page.url()}: ${m.text()}`));
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  });
  const page = await context.newPage();
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel("Email address").fill(PEOPLE[role].email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  await page.close();
  contexts.set(role, context);
  return context;
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (options: unknown) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
  });
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** A tRPC query over HTTP with the page's session, as the browser would make it. */
async function api<T>(page: Page, procedure: string, input: unknown): Promise<T> {
  const response = await page.request.get(`${app.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { result: { data: Parameters<typeof superjson.deserialize>[0] } };
  return superjson.deserialize(body.result.data) as T;
}

const figure = async (page: Page, id: string) => (await page.locator(`[data-figure="${id}"]`).first().textContent())?.trim();

beforeAll(async () => {
  if (ctx.databaseUrl) {
    await prepare(ctx.db);
    app = await startApp({ DATABASE_URL: ctx.databaseUrl, BETTER_AUTH_SECRET: "dash-auth-secret-dash-auth-secret-0123456" });
  } else {
    const dataDir = path.join(scratch, "data");
    const warehouse = await openWarehouse({ dataDir });
    await prepare(warehouse.db);
    await warehouse.close();
    app = await startApp({ DATA_DIR: dataDir });
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("every page, as every role", () => {
  const roles: Role[] = ["admin", "board", "scrutineer", "agency_lead", "uploader"];
  it.each(roles)("%s: lands where the role allows, with no console errors and no serious accessibility faults", async (role) => {
    const context = await signedIn(role);
    const page = await context.newPage();
    const problems: string[] = [];
    for (const visit of PAGES) {
      const expected = visit.expect[role];
      const response = await page.goto(`${app.url}${visit.path}`);
      if (expected === "not-found") {
        expect([visit.path, response?.status()]).toEqual([visit.path, 404]);
        await page.getByRole("heading", { name: "Page not found" }).waitFor();
        continue;
      }
      expect([visit.path, response?.status()]).toEqual([visit.path, 200]);
      if (expected !== "page") {
        expect([visit.path, new URL(page.url()).pathname]).toEqual([visit.path, expected]);
        continue;
      }
      if (visit.ready) await page.locator(visit.ready).waitFor();
      for (const violation of await seriousViolations(page)) problems.push(`${visit.path}: ${violation}`);
    }
    await page.close();
    expect(problems).toEqual([]);
    // A refused page answers 404 and Chromium logs that; nothing else may reach the console.
    expect(consoleErrors.get(role)!.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });
});

describe("the figures on the pages", () => {
  it("overview: equal the API's for the same filters, and the hand-worked figures", async () => {
    const page = await (await signedIn("admin")).newPage();
    await page.goto(`${app.url}/?${VIEW}`);
    const overview = await api<{ trends: Array<Record<string, number | null>>; atAsOf: { overdue: number } }>(page, "metrics.overview", {
      partnerships: ["north"], quarter: "2025-Q4", asOf: "2026-01-09",
    });
    const q4 = overview.trends.at(-1)!;
    // Hand-worked (tests/board-report.test.ts): raised 11, closed 7, open at 31 Dec 5, overdue at 9 Jan 4, dissent 6, rate 7.5.
    expect([q4.raised, q4.closed, q4.openAtPeriodEnd, overview.atAsOf.overdue, q4.dissent, q4.dissentRatePer100Conferences]).toEqual([11, 7, 5, 4, 6, 7.5]);
    expect(await figure(page, "raised")).toBe(String(q4.raised));
    expect(await figure(page, "closed")).toBe(String(q4.closed));
    expect(await figure(page, "openAtPeriodEnd")).toBe(String(q4.openAtPeriodEnd));
    expect(await figure(page, "overdue-at-as-of")).toBe(String(overview.atAsOf.overdue));
    expect(await figure(page, "resolvedAtLowestLevelPct")).toBe("66.7%");
    expect(await figure(page, "medianWorkingDaysToClose")).toBe("2.5 working days");
    expect(await figure(page, "dissentRatePer100Conferences")).toBe("7.5");
    // North labels its quarters by financial year: 2025-Q4 is Q3 of 2025/26.
    await page.getByRole("heading", { name: "Q3 2025/26 at a glance" }).waitFor();
    await page.close();
  });

  it("escalations: the stage reached table and the overdue list equal the API's", async () => {
    const page = await (await signedIn("scrutineer")).newPage();
    await page.goto(`${app.url}/escalations?${RUN}`);
    const breakdowns = await api<{ quarters: Array<{ stageReached: Record<string, number> }> }>(page, "metrics.breakdowns", {
      partnerships: ["north"], from: "2025-Q3", to: "2025-Q4", asOf: "2026-01-09",
    });
    // Hand-worked: stage 1: 4, stage 2: 4, stage 3: 3.
    expect(breakdowns.quarters.at(-1)!.stageReached).toEqual({ "1": 4, "2": 4, "3": 3 });
    const table = page.locator("#stage-reached table");
    for (const [stage, count] of Object.entries(breakdowns.quarters.at(-1)!.stageReached)) {
      await expect(table.locator("tr", { has: page.locator(`th:text-is("Stage ${stage}")`) }).locator("td").textContent()).resolves.toBe(String(count));
    }
    // Overdue at 9 January: E8, E9, E11, E12, each linking to its record.
    const overdue = page.locator("#overdue-list tbody tr");
    await expect(overdue.count()).resolves.toBe(4);
    await page.locator("#overdue-list").getByRole("link", { name: "E12" }).click();
    await page.locator("#stage-timeline").waitFor();
    await expect(page.locator('#stage-timeline tr[data-stage="1"]').getAttribute("data-state")).resolves.toBe("overdue");
    expect(await seriousViolations(page)).toEqual([]);
    // A board member may not open records: the record's address answers "not found" (and the attempt is audited).
    const board = await (await signedIn("board")).newPage();
    expect((await board.goto(page.url()))?.status()).toBe(404);
    await board.close();
    await page.close();
  });

  it("dissent and the agency profile show the API's counts", async () => {
    const page = await (await signedIn("board")).newPage();
    await page.goto(`${app.url}/dissent?${RUN}`);
    const dissent = await api<Array<{ escalated: number; count: number }>>(page, "metrics.dissent", { partnerships: ["north"], from: "2025-Q3", to: "2025-Q4", asOf: "2026-01-09" });
    expect(await figure(page, "dissent-escalated")).toBe(String(dissent.at(-1)!.escalated));
    await page.goto(`${app.url}/agencies/CSC?quarter=2025-Q4&asOf=2026-01-09`);
    // Q4: CSC raised 10 of the 11 and received 1 (E8).
    expect([await figure(page, "agency-raised"), await figure(page, "agency-received")]).toEqual(["10", "1"]);
    await page.close();
  });
});

describe("board report downloads", () => {
  it("a board member downloads the published PDF, an admin issues the report, an uploader is refused", async () => {
    const board = await (await signedIn("board")).newPage();
    await board.goto(`${app.url}/reports?${VIEW}`);
    const download = board.waitForEvent("download");
    await board.getByRole("button", { name: "Download the report" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("board-report-north-2025-Q4.pdf");
    const bytes = fs.readFileSync((await file.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    await board.close();
    // A business manager issues it; the issued report is kept, and nothing has been revised since.
    const admin = await (await signedIn("admin")).newPage();
    await admin.goto(`${app.url}/reports?${VIEW}`);
    await admin.getByRole("button", { name: /^Issue the Q3 2025\/26 report/ }).click();
    await admin.waitForURL(/\/reports\/issued\/\d+$/);
    await expect(admin.locator("#revisions").textContent()).resolves.toContain("No figure has changed since issue");
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.goto(`${app.url}/reports?${VIEW}`);
    await expect(admin.locator("#issued-reports tbody tr").count()).resolves.toBe(1);
    await admin.close();
    const uploader = await (await signedIn("uploader")).newPage();
    const refused = await uploader.request.get(`${app.url}/api/reports/board?partnership=north&quarter=2025-Q4`);
    expect(refused.status()).toBe(403);
    await uploader.close();
  });
});

describe("downloads", () => {
  it("gives each role the datasets it may see, as CSV and Arrow, and refuses the rest", async () => {
    const scrutineer = await (await signedIn("scrutineer")).newPage();
    await scrutineer.goto(`${app.url}/records?${VIEW}&from=2025-Q4`);
    const csvHref = await scrutineer.getByRole("link", { name: "CSV (These records)" }).getAttribute("href");
    const csv = await (await scrutineer.request.get(`${app.url}${csvHref}`)).text();
    // A header and the 11 escalations raised in Q4 2025.
    expect(csv.trim().split("\r\n")).toHaveLength(12);
    expect(csv.split("\r\n")[0]).toBe("partnership,recordRef,childPseudonym,uploadedBy,raisingAgency,receivingAgency,concernAroseOn,stageReached,stageCount,status,closedOn,themes,workingDaysOpen,workingDaysOverdue");
    const arrow = await scrutineer.request.get(`${app.url}/api/downloads/trends?${RUN}&format=arrow`);
    const table = tableFromIPC(new Uint8Array(await arrow.body()));
    // Q3 and Q4 2025: raised 1 and 11 (hand-worked).
    expect([table.numRows, table.getChild("raised")!.toArray()[1]]).toEqual([2, 11]);
    await scrutineer.close();
    const uploader = await (await signedIn("uploader")).newPage();
    expect((await uploader.request.get(`${app.url}/api/downloads/trends?${RUN}`)).status()).toBe(403);
    expect((await uploader.request.get(`${app.url}/api/downloads/records?${RUN}`)).status()).toBe(403);
    await uploader.close();
    const lead = await (await signedIn("agency_lead")).newPage();
    expect((await lead.request.get(`${app.url}/api/downloads/trends?${RUN}`)).status()).toBe(403);
    expect((await lead.request.get(`${app.url}/api/downloads/records?${RUN}`)).status()).toBe(200);
    await lead.close();
  });
});

describe("self-assessment evidence", () => {
  it("an agency lead stores its return with its answers and downloads it as Word", async () => {
    const page = await (await signedIn("agency_lead")).newPage();
    await page.goto(`${app.url}/agencies/CSC?quarter=2025-Q4&asOf=2026-01-09`);
    await page.getByLabel("From quarter").selectOption("2025-Q3");
    await page.getByLabel("To quarter").selectOption("2025-Q4");
    await page.getByLabel(/^What training/).fill("Twelve staff attended the escalation workshop.");
    await page.getByRole("button", { name: "Store the evidence return" }).click();
    await page.waitForURL(/#evidence$/);
    const download = page.waitForEvent("download");
    await page.locator("#evidence-returns").getByRole("link", { name: "Word" }).first().click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^evidence-return-\d+\.docx$/);
    expect(fs.readFileSync((await file.path())!).subarray(0, 2).toString()).toBe("PK");
    // (A focused GOV.UK link drops its underline for the focus style; check the page as it is read, not mid-click.)
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});

describe("the scrutineer's audit", () => {
  it("draws a sample with a seed, records a finding, and shows it again", async () => {
    const page = await (await signedIn("scrutineer")).newPage();
    await page.goto(`${app.url}/scrutiny?partnership=north&quarter=2025-Q4&from=2025-Q4`);
    await page.getByLabel("Records to sample").fill("3");
    await page.getByLabel("Seed (leave empty for a new one)").fill("2026");
    await page.getByRole("button", { name: "Draw the sample" }).click();
    await page.waitForURL(/\/scrutiny\/\d+$/);
    await expect(page.locator("[data-seed]").textContent()).resolves.toBe("2026");
    await page.locator("#rating-1").selectOption("adequate");
    await page.locator("#note-1").fill("Clear record; the stage 2 meeting is not minuted.");
    await page.locator("#record-1").getByRole("button", { name: /^Save the finding/ }).click();
    await page.waitForURL(/#record-1$/);
    await expect(page.locator("#rating-1").inputValue()).resolves.toBe("adequate");
    expect(await seriousViolations(page)).toEqual([]);
    const csv = await page.request.get(`${app.url}${new URL(page.url()).pathname.replace("/scrutiny/", "/api/scrutiny/")}?format=csv`);
    expect(await csv.text()).toContain("Clear record; the stage 2 meeting is not minuted.");
    await page.close();
  });
});

describe("filters in the URL", () => {
  it("a chosen view is a link, and the back button returns to the previous one", async () => {
    const page = await (await signedIn("admin")).newPage();
    await page.goto(`${app.url}/escalations?${RUN}`);
    await page.getByLabel("To quarter").selectOption("2025-Q3");
    await page.getByLabel("Agency (raising or receiving)").selectOption("HLT");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL((u) => u.searchParams.get("quarter") === "2025-Q3");
    const url = new URL(page.url());
    expect([url.searchParams.getAll("partnership"), url.searchParams.get("agency")]).toEqual([["north"], "HLT"]);
    await expect(page.locator("[data-scope=period]").textContent()).resolves.toContain("Community Health Trust");
    // The same link in a fresh page shows the same view.
    const again = await (await signedIn("admin")).newPage();
    await again.goto(page.url());
    await expect(again.getByLabel("To quarter").inputValue()).resolves.toBe("2025-Q3");
    await expect(again.getByLabel("Agency (raising or receiving)").inputValue()).resolves.toBe("HLT");
    await again.close();
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get("quarter") === "2025-Q4");
    await expect(page.getByLabel("To quarter").inputValue()).resolves.toBe("2025-Q4");
    // A filter that cannot be used is named in an error summary, and its default shown.
    await page.goto(`${app.url}/escalations?partnership=west&quarter=2025-Q9`);
    await expect(page.locator(".govuk-error-summary").textContent()).resolves.toMatch(/You cannot see a partnership with the code "west".*"2025-Q9" is not a quarter/);
    await page.close();
  });

  it("records: load as Arrow, filter, sort and page by keyboard, each step in the URL", async () => {
    const page = await (await signedIn("scrutineer")).newPage();
    await page.goto(`${app.url}/records?${VIEW}&from=2025-Q4`);
    await page.locator("#records[data-rows]").waitFor();
    // The 11 escalations raised in Q4 2025.
    await expect(page.locator("#records-status-line").textContent()).resolves.toContain("11 of 11 escalations");
    // Overdue only, by keyboard: E8, E9, E11 (raised in Q4 and overdue on 9 January).
    await page.locator("#records-overdue").focus();
    await page.keyboard.press("Space");
    await page.waitForURL((u) => u.searchParams.get("overdue") === "1");
    await expect(page.locator("#records-status-line").textContent()).resolves.toContain("3 of 11 escalations");
    await page.getByRole("button", { name: /^Working days overdue/ }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.searchParams.get("sort") === "workingDaysOverdue");
    const refs = await page.locator("#records tbody th a").allTextContents();
    // Most overdue first: E11 (stage 2 since 2 Dec), E8 (stage 2 since 16 Dec), E9 (stage 1 since 31 Dec).
    expect(refs).toEqual(["E11", "E8", "E9"]);
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has("sort"));
    await expect(page.locator("#records-status-line").textContent()).resolves.toContain("3 of 11 escalations");
    await page.close();
  });
});
