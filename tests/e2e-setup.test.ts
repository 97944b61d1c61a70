/**
 * A new deployment set up in the product (issue 17), in headless Chromium against the production
 * build: an admin on an EMPTY warehouse is led through set-up in order (partnership → procedure →
 * agencies → users → upload templates), sets up a partnership with a two-version procedure, adds two
 * agencies and an uploader, downloads the template; the uploader uploads a file built on that
 * template; the admin sees the figures; then revises the procedure, reads the preview of what it
 * re-judges, saves, and sees the re-judged figures. Every set-up page has no serious or critical axe
 * finding, the forms work from the keyboard, and a refusal is the form's error summary naming the field.
 *
 * The world (2026-Q3, every date a weekday, no bank holiday between 6 July and 10 September 2026).
 * Version 1 (from the start): stages of 5, 5 and 5 working days. Version 2, from Monday 3 August 2026:
 * 2, 2 and 5 working days and a partnership panel in 14 calendar days, a total limit of 20 working days.
 * Five escalations raised by CSC with POL, each resolved on the day its stage 1 concluded:
 *
 *   ref  concern   stage 1   wd   version  within (stage 1)       within after the revision (v2 stage 1: 3)
 *   S1   Mon 6/7   Thu 9/7   3    v1 (5)   yes                    yes (v1 unchanged)
 *   S2   Mon 13/7  Wed 22/7  7    v1 (5)   no  (14,15,16,17,20,21,22)  no
 *   S3   Mon 10/8  Wed 12/8  2    v2 (2)   yes                    yes
 *   S4   Mon 17/8  Thu 20/8  3    v2 (2)   no  (18,19,20)         yes (3 ≤ 3)
 *   S5   Mon 7/9   Thu 10/9  3    v2 (2)   no  (8,9,10)           yes
 *
 * So 2026-Q3 (Q2 2026/27 on financial-year labels) has 5 stage-1 completions, 2 within the limit
 * (40%); after the revision 4 (80%). The revision applies to the 3 escalations raised since
 * 3 August 2026 (S3, S4, S5).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWarehouse } from "../db/client";
import { createAuth } from "../server/access/auth";
import { addUser } from "../server/access/users";
import { startApp, type RunningApp } from "./support/app";
import { launchBrowser } from "./support/browser";
import { useTestWarehouse } from "./support/db";

const ADMIN = { email: "manager@north.example", password: "manager-password-1234" };
const UPLOADER_EMAIL = "uploader@north.example";
const SECRET = "setup-auth-secret-setup-auth-secret-01234";
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const ctx = useTestWarehouse();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-setup-"));
const dataDir = path.join(scratch, "data");
let app: RunningApp;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
/** Serious or critical axe findings on every set-up page visited, by path. */
const axeProblems: string[] = [];
const axeChecked: string[] = [];
let templateHeader: string[] = [];

async function signIn(context: BrowserContext, email: string, password: string): Promise<Page> {
  const signInPage = await context.newPage();
  signInPage.on("console", (m) => m.type() === "error" && consoleErrors.push(`${signInPage.url()}: ${m.text()}`));
  signInPage.on("pageerror", (e) => consoleErrors.push(`${signInPage.url()}: ${e.message}`));
  signInPage.on("dialog", (dialog) => void dialog.accept());
  await signInPage.goto(`${app.url}/sign-in`);
  await signInPage.getByLabel("Email address").fill(email);
  await signInPage.getByLabel("Password").fill(password);
  await signInPage.getByRole("button", { name: "Sign in" }).click();
  await signInPage.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  return signInPage;
}

/** Runs axe on the page as it stands; serious and critical findings are kept for the last test. */
async function checkAccessibility(on: Page, what = new URL(on.url()).pathname): Promise<void> {
  await on.addScriptTag({ content: AXE });
  const results = await on.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (options: unknown) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
  });
  axeChecked.push(what);
  for (const v of results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
    axeProblems.push(`${what}: ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }
}

/** The text of each cell, its white space folded (a visually hidden part of a link reads on the same line). */
const cells = (on: Page, selector: string) => on.locator(selector).evaluateAll((tds) => tds.map((td) => (td.textContent ?? "").replace(/\s+/g, " ").trim()));

const focusedId = (on: Page) => on.evaluate(() => document.activeElement?.id ?? "");

/** The stage-1 cell of a quarter's row in the escalations page's timescale table ("2 of 5 (40%)"). */
async function stageOneWithin(on: Page, quarterLabel: string): Promise<string> {
  await on.goto(`${app.url}/escalations?partnership=north&quarter=2026-Q3`);
  const row = on.locator("#timescale table tbody tr").filter({ has: on.locator("th", { hasText: quarterLabel }) });
  return ((await row.locator("td").first().textContent()) ?? "").trim();
}

beforeAll(async () => {
  const prepare = async (db: typeof ctx.db) =>
    addUser(db, createAuth(db, { secret: "unused-for-hashing-unused-for-hashing-0" }), { email: ADMIN.email, role: "admin", scope: "all" }, "test", ADMIN.password);
  if (ctx.databaseUrl) {
    await prepare(ctx.db);
    app = await startApp({ DATABASE_URL: ctx.databaseUrl, BETTER_AUTH_SECRET: SECRET, CHILD_REF_SECRET: "setup-secret-setup-secret-setup-secret-0" });
  } else {
    const warehouse = await openWarehouse({ dataDir });
    await prepare(warehouse.db);
    await warehouse.close();
    app = await startApp({ DATA_DIR: dataDir, BETTER_AUTH_SECRET: SECRET });
  }
  browser = await launchBrowser();
  admin = await browser.newContext({ acceptDownloads: true });
  page = await signIn(admin, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("setting up a new deployment in the product", () => {
  it("the overview of an empty warehouse says where set-up stands and leads to its first step", async () => {
    await page.goto(`${app.url}/`);
    const empty = page.locator('[data-empty="no-partnerships"]');
    expect((await empty.innerText()).replace(/\s+/g, " ")).toContain("No partnerships are set up yet.");
    expect(await page.locator('[data-step] [id$="-status"]').allInnerTexts()).toEqual(["Next", "Not done yet", "Not done yet", "Not done yet", "Not done yet"]);
    await checkAccessibility(page);
    await page.goto(`${app.url}/setup`);
    await checkAccessibility(page);
    // The start button of GOV.UK (a link that looks and reads as a button).
    await page.getByRole("button", { name: /^Start: set up the partnership/ }).click();
    await page.waitForURL(`${app.url}/admin/partnerships`);
    await checkAccessibility(page);
  });

  it("step 1, the partnership, from the keyboard; a code that cannot be one is named in the error summary", async () => {
    await page.locator("#partnership-code").focus();
    await page.keyboard.type("north east");
    await page.keyboard.press("Tab");
    expect(await focusedId(page)).toBe("partnership-name");
    await page.keyboard.type("North Safeguarding Children Partnership");
    await page.keyboard.press("Enter");
    const summary = page.locator(".error-summary");
    await expect.poll(() => summary.innerText()).toContain('Code: "north east" is not a partnership code');
    expect(await summary.locator("a").first().getAttribute("href")).toBe("#partnership-code");
    // The summary takes the focus, so a keyboard user hears it first.
    expect(await page.evaluate(() => document.activeElement?.classList.contains("error-summary"))).toBe(true);
    await checkAccessibility(page, "/admin/partnerships (with an error)");

    await page.locator("#partnership-code").fill("");
    await page.locator("#partnership-code").focus();
    await page.keyboard.type("north");
    // Name, then one stop for each group of radios (financial-year labels are already chosen), then the chair's limit.
    for (const expected of ["partnership-name", "quarterLabels-financial", "disclosure-dfe", "partnership-chair", "partnership-closureDays", "partnership-target-withinLimitPct"]) {
      await page.keyboard.press("Tab");
      expect(await focusedId(page)).toBe(expected);
      if (expected === "partnership-closureDays") await page.keyboard.type("2026-12-29");
      if (expected === "partnership-target-withinLimitPct") await page.keyboard.type("80");
    }
    await page.keyboard.press("Enter");
    // Creating the partnership goes on to its procedure (step 2).
    await page.waitForURL(`${app.url}/admin/partnerships/north/procedure`);
    expect(await page.locator("#setup-banner-title").innerText()).toBe("Setting up, step 2 of 5");
    await checkAccessibility(page);
  });

  it("step 2, the procedure: a first version of three stages, then a second with four, each checked before it is saved", async () => {
    // The save button is not there until the version has been checked.
    expect(await page.getByRole("button", { name: "Save this version" }).count()).toBe(0);
    await page.locator("#version-effectiveFrom").fill("1");
    await page.locator("#version-effectiveFrom-month").fill("4");
    await page.locator("#version-effectiveFrom-year").fill("2019");
    await page.locator("#version-name").fill("Resolving professional differences (2019)");
    await page.locator("#stage-1-name").fill("Practitioners");
    await page.locator("#stage-1-level").fill("within agency");
    await page.locator("#stage-1-limit").fill("five");
    // Added from the keyboard: the new stage's name takes the focus.
    await page.locator("#add-stage").focus();
    await page.keyboard.press("Enter");
    expect(await focusedId(page)).toBe("stage-2-name");
    await page.keyboard.type("Managers");
    await page.locator("#stage-2-limit").fill("5");
    await page.getByRole("button", { name: "Add a stage" }).click();
    await page.locator("#stage-3-name").fill("Partnership");
    await page.locator("#stage-3-limit").fill("5");
    await page.getByRole("button", { name: "Check what this changes" }).click();
    await expect.poll(() => page.locator(".error-summary").innerText()).toContain('Stage 1 limit: "five" is not a whole number');
    await page.locator("#stage-1-limit").fill("5");
    await page.getByRole("button", { name: "Check what this changes" }).click();
    const applies = page.getByTestId("version-applies");
    // The first version judges everything before the next one: from the calendar's first day.
    await expect.poll(() => applies.innerText()).toContain("Applies to 0 escalations raised since 1 January 2015");
    await checkAccessibility(page, "/admin/partnerships/north/procedure (preview)");
    await page.getByRole("button", { name: "Save this version" }).click();
    await expect.poll(() => page.getByTestId("version-saved").innerText()).toContain("The version in force from 1 April 2019 is saved.");

    // The form now starts the next version from the one in force.
    expect(await page.locator("#stage-3-name").inputValue()).toBe("Partnership");
    await page.locator("#version-effectiveFrom").fill("3");
    await page.locator("#version-effectiveFrom-month").fill("8");
    await page.locator("#version-effectiveFrom-year").fill("2026");
    await page.locator("#version-name").fill("Resolving professional differences (2026)");
    await page.locator("#stage-1-limit").fill("2");
    await page.locator("#stage-2-limit").fill("2");
    await page.locator("#stage-3-name").fill("Senior managers");
    await page.getByRole("button", { name: "Add a stage" }).click();
    await page.locator("#stage-4-name").fill("Partnership panel");
    await page.locator("#stage-4-limit").fill("14");
    await page.locator("#stage-4-unit-calendar").check();
    await page.locator("#version-total").fill("20");
    await page.getByRole("button", { name: "Check what this changes" }).click();
    await expect.poll(() => applies.innerText()).toContain("Applies to 0 escalations raised since 3 August 2026");
    // Any edit withdraws the preview, and the save button with it.
    await page.locator("#stage-4-level").fill("partnership");
    expect(await page.getByRole("button", { name: "Save this version" }).count()).toBe(0);
    await page.getByRole("button", { name: "Check what this changes" }).click();
    await page.getByRole("button", { name: "Save this version" }).click();
    await expect.poll(() => page.getByTestId("version-saved").innerText()).toContain("The version in force from 3 August 2026 is saved.");
    const versions = await page.locator("#versions tbody tr").evaluateAll((rows) => rows.map((r) => r.querySelector("th")?.textContent?.trim()));
    expect(versions).toEqual(["from the start (adopted 1 April 2019) to 3 August 2026", "from 3 August 2026, in force now"]);
    expect(await page.locator('#versions tr[data-version="2026-08-03"] ol li').allInnerTexts()).toEqual([
      "Practitioners (within agency): 2 working days",
      "Managers: 2 working days",
      "Senior managers: 5 working days",
      "Partnership panel (partnership): 14 calendar days",
    ]);
    await checkAccessibility(page);
  });

  it("the overview now says how far set-up has got", async () => {
    await page.goto(`${app.url}/`);
    expect((await page.locator("#setup-notice-title").innerText()).trim()).toBe("Set-up is not finished");
    expect(await page.locator(".govuk-notification-banner__heading").innerText()).toContain("2 of 5 set-up steps done. Next, step 3");
    await checkAccessibility(page);
  });

  it("step 3, the agencies", async () => {
    await page.goto(`${app.url}/admin/procedures`);
    await page.waitForURL(`${app.url}/admin/partnerships/north/procedure`);
    await page.getByRole("link", { name: /^step 3, add the agencies/ }).click();
    await page.waitForURL(`${app.url}/admin/agencies`);
    await checkAccessibility(page);
    for (const agency of [
      { code: "CSC", name: "North Children's Social Care", sector: "Children's social care", aliases: "" },
      { code: "POL", name: "County Police", sector: "Police", aliases: "Constabulary" },
    ]) {
      await page.getByLabel("Code").fill(agency.code);
      await page.getByLabel("Name", { exact: true }).fill(agency.name);
      await page.getByLabel(agency.sector, { exact: true }).check();
      await page.getByLabel("Other names (optional)").fill(agency.aliases);
      // The only partnership is already ticked.
      expect(await page.getByLabel("North Safeguarding Children Partnership").isChecked()).toBe(true);
      await page.getByRole("button", { name: "Add the agency" }).click();
      await page.locator(`tr[data-agency="${agency.code}"]`).waitFor();
    }
    expect(await cells(page, 'tr[data-agency="POL"] td')).toEqual(["Police", "Constabulary", "North Safeguarding Children Partnership", "Change County Police"]);
    await checkAccessibility(page);
  });

  let uploaderPassword = "";

  it("step 4, the uploader", async () => {
    await page.getByRole("link", { name: /^step 4, add the people who upload/ }).click();
    await page.waitForURL(`${app.url}/admin/users`);
    await checkAccessibility(page);
    await page.getByLabel("Email address").fill(UPLOADER_EMAIL);
    await page.getByLabel("Name").fill("North uploader");
    await page.getByLabel("Role").selectOption("uploader");
    await page.getByLabel("Scope: partnership codes (or all), or an agency code").fill("CSC");
    await page.getByRole("button", { name: "Add user or role" }).click();
    const result = page.getByTestId("user-result");
    await expect.poll(() => result.innerText()).toContain("Password (shown once");
    uploaderPassword = (await result.innerText()).split("securely): ")[1]!.trim();
    expect(uploaderPassword.length).toBeGreaterThan(10);
  });

  it("step 5, the templates: the escalations template downloads", async () => {
    await page.goto(`${app.url}/setup`);
    expect(await page.locator("[data-step]").evaluateAll((items) => items.map((i) => `${i.getAttribute("data-step")} ${i.getAttribute("data-done")}`))).toEqual([
      "partnership true",
      "procedure true",
      "agencies true",
      "users true",
      "templates false",
    ]);
    await page.getByRole("button", { name: /^Continue: download the upload templates/ }).click();
    await page.waitForURL(`${app.url}/setup/templates`);
    await checkAccessibility(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Escalations template (CSV)" }).click()]);
    const text = fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
    templateHeader = text.split(/\r?\n/)[0]!.split(",");
    expect(templateHeader).toEqual(expect.arrayContaining(["record_ref", "raising_agency", "receiving_agency", "concern_arose_on", "themes", "stage1_on", "status", "closed_on"]));
  });

  it("the uploader uploads a file made from the template, and the admin sees the figures", async () => {
    const rows = [
      ["S1", "2026-07-06", "2026-07-09"],
      ["S2", "2026-07-13", "2026-07-22"],
      ["S3", "2026-08-10", "2026-08-12"],
      ["S4", "2026-08-17", "2026-08-20"],
      ["S5", "2026-09-07", "2026-09-10"],
    ].map(([ref, concern, stage1]) => {
      const values: Record<string, string> = { record_ref: ref!, raising_agency: "CSC", receiving_agency: "Constabulary", concern_arose_on: concern!, themes: "thresholds", stage1_on: stage1!, status: "resolved", closed_on: stage1! };
      return templateHeader.map((column) => values[column] ?? "").join(",");
    });
    const file = path.join(scratch, "north-escalations.csv");
    fs.writeFileSync(file, [templateHeader.join(","), ...rows].join("\r\n"));

    const uploaderContext = await browser.newContext();
    const uploader = await signIn(uploaderContext, UPLOADER_EMAIL, uploaderPassword);
    await uploader.goto(`${app.url}/uploads`);
    await uploader.getByLabel("Agency").selectOption("CSC");
    await uploader.getByLabel("CSV file").setInputFiles(file);
    await uploader.getByRole("button", { name: "Upload and check" }).click();
    await uploader.getByRole("heading", { name: "Check before loading: north-escalations.csv" }).waitFor({ timeout: 30_000 });
    expect(await uploader.getByTestId("upload-counts").locator("[data-count=rejected]").innerText()).toBe("0");
    await uploader.getByRole("button", { name: "Load 5 row(s)" }).click();
    await uploader.getByRole("heading", { name: /^Loaded as batch \d+$/ }).waitFor({ timeout: 30_000 });
    await uploaderContext.close();

    await page.goto(`${app.url}/`);
    // Set-up is done: the overview no longer speaks of it, and shows the quarter's figures.
    expect(await page.locator("#setup-notice-title").count()).toBe(0);
    expect(await page.locator('[data-figure="raised"]').first().innerText()).toBe("5");
    // Stage 1 in 2026-Q3 (Q2 2026/27): S1 and S3 within their versions' limits, of 5 (see the table above).
    // (Stage 1's limit varies within the quarter: 5 working days for S1 and S2, 2 for the others; the page says so after the figure.)
    expect(await stageOneWithin(page, "Q2 2026/27")).toMatch(/^2 of 5 \(40%\)/);
  });

  it("revising the procedure: the preview says what it re-judges, and after saving the figures are re-judged", async () => {
    await page.goto(`${app.url}/admin/partnerships/north/procedure`);
    await page.getByRole("link", { name: "Change the version from 3 August 2026" }).click();
    await page.waitForURL(`${app.url}/admin/partnerships/north/procedure?version=2026-08-03`);
    expect(await page.locator("#version-form-title").innerText()).toBe("Change the version in force from 3 August 2026");
    await page.locator("#stage-1-limit").fill("3");
    await page.getByRole("button", { name: "Check what this changes" }).click();
    const applies = page.getByTestId("version-applies");
    // S3, S4 and S5 were raised since 3 August 2026; the figures of 2026-Q3 change.
    await expect.poll(() => applies.innerText()).toBe(
      "Applies to 3 escalations raised since 3 August 2026; these figures change for this quarter: Q2 2026/27.",
    );
    // Stage 1 within its limit: 2 before (S1, S3), 4 after (S4 and S5 took 3 working days).
    const within = page.locator('#version-changes tr[data-key="escalations.timescale.0.withinLimit"] td');
    expect(await within.allInnerTexts()).toEqual([expect.any(String), "2", "4"]);
    await checkAccessibility(page, "/admin/partnerships/north/procedure (revision preview)");
    await page.getByRole("button", { name: "Save this version" }).click();
    await expect.poll(() => page.getByTestId("version-saved").innerText()).toContain("The version in force from 3 August 2026 is saved.");
    expect(await stageOneWithin(page, "Q2 2026/27")).toMatch(/^4 of 5 \(80%\)/);
  });

  it("the other set-up pages answer, without a serious accessibility finding", async () => {
    for (const p of ["/admin", "/admin/partnerships/north", "/admin/partnerships/north/themes", "/admin/bank-holidays", "/setup"]) {
      const response = await page.goto(`${app.url}${p}`);
      expect([p, response?.status()]).toEqual([p, 200]);
      await checkAccessibility(page);
    }
    expect(await page.getByTestId("setup-state").innerText()).toContain("Set-up is done");
    // Another partnership's code (none here) is the not-found page, as any code outside one's scope.
    expect((await page.goto(`${app.url}/admin/partnerships/south/procedure`))?.status()).toBe(404);
  });

  it("an agency shared with a partnership an admin does not manage says so before a change, and keeps that membership", async () => {
    // A second partnership, which POL also belongs to.
    await page.goto(`${app.url}/admin/partnerships`);
    await page.locator("#partnership-code").fill("south");
    await page.locator("#partnership-name").fill("South Safeguarding Children Partnership");
    await page.getByRole("button", { name: "Add the partnership" }).click();
    await page.waitForURL(`${app.url}/admin/partnerships/south/procedure`);
    await page.goto(`${app.url}/admin/agencies?agency=POL`);
    await page.getByLabel("South Safeguarding Children Partnership").check();
    await page.getByRole("button", { name: "Save the agency" }).click();
    await expect.poll(() => page.getByTestId("agency-result").innerText()).toBe("POL saved.");
    // A business manager of north only.
    await page.goto(`${app.url}/admin/users`);
    await page.getByLabel("Email address").fill("north-manager@north.example");
    await page.getByLabel("Role").selectOption("admin");
    await page.getByLabel("Scope: partnership codes (or all), or an agency code").fill("north");
    await page.getByRole("button", { name: "Add user or role" }).click();
    await expect.poll(() => page.getByTestId("user-result").innerText()).toContain("Password (shown once");
    const password = (await page.getByTestId("user-result").innerText()).split("securely): ")[1]!.trim();

    const northContext = await browser.newContext();
    const north = await signIn(northContext, "north-manager@north.example", password);
    await north.goto(`${app.url}/admin/agencies?agency=POL`);
    expect((await north.getByTestId("agency-shared").innerText()).replace(/\s+/g, " ")).toContain(
      "POL also belongs to south, which you do not manage. A change of its name, sector or other names changes it for that partnership too; its membership there is kept.",
    );
    await checkAccessibility(north, "/admin/agencies?agency=POL (shared)");
    await north.getByLabel("Other names (optional)").fill("Constabulary\nCounty Constabulary");
    await north.getByRole("button", { name: "Save the agency" }).click();
    await expect.poll(() => north.getByTestId("agency-result").innerText()).toBe("POL saved.");
    // The deployment's bank holidays are not theirs to change: refused, said in the form's error summary.
    await north.goto(`${app.url}/admin/bank-holidays`);
    await north.getByRole("button", { name: "Save the bank holidays" }).click();
    await expect.poll(() => north.locator(".error-summary").innerText()).toContain("Only a business manager for all partnerships may change the bank holidays");
    await northContext.close();

    // South's membership was kept, and the new other name is the agency's everywhere.
    await page.goto(`${app.url}/admin/agencies`);
    expect(await cells(page, 'tr[data-agency="POL"] td')).toEqual([
      "Police",
      "Constabulary, County Constabulary",
      "North Safeguarding Children Partnership, South Safeguarding Children Partnership",
      "Change County Police",
    ]);
  });

  it("found no serious accessibility problem on any set-up page, and no error in the browser console", () => {
    expect(axeChecked.length).toBeGreaterThanOrEqual(18);
    expect(axeProblems).toEqual([]);
    // The browser logs the refusals the test provoked (400 for the partnership code, 403 for the bank
    // holidays, 404 for another partnership's page): expected, and nothing else.
    expect(consoleErrors.filter((e) => !/status of (400|403|404)/.test(e))).toEqual([]);
  });
});
