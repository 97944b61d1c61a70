/**
 * The uploads page in headless Chromium against the production build: upload a file with rejects,
 * check the preview, load it, download the rejects, and undo the batch.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWarehouse, queryRows, type Db } from "../db/client";
import { startApp, type RunningApp } from "./support/app";
import { launchBrowser } from "./support/browser";
import { useTestWarehouse } from "./support/db";
import { loadSmallWorld } from "./support/reference";
import { createAuth } from "../server/access/auth";
import { addUser } from "../server/access/users";

const UPLOADER = { email: "uploader@north.example", password: "uploader-password-123" };

async function prepare(db: Db): Promise<void> {
  await loadSmallWorld(db);
  await addUser(db, createAuth(db, { secret: "unused-for-hashing-unused-for-hashing-0" }), { email: UPLOADER.email, role: "uploader", scope: "CSC" }, "test", UPLOADER.password);
}

const ctx = useTestWarehouse();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-e2e-"));
const dataDir = path.join(scratch, "data");
let app: RunningApp;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

// Rows 2–4 load; row 5 has an impossible date; row 6 names an agency as a formula (a hostile cell).
const CSV = [
  "Reference,Raised by,Raised with,Date raised,Theme,Outcome,Date closed",
  "UI-1,CSC,HLT,03/03/2025,thresholds,resolved,05/03/2025",
  "UI-2,CSC,County Police,10/03/2025,roles,open,",
  "UI-3,CSC,HLT,1 April 2025,info sharing; plan,withdrawn,02/04/2025",
  "UI-4,CSC,HLT,31/02/2025,thresholds,open,",
  'UI-5,CSC,"=HYPERLINK(""http://example.invalid"")",04/03/2025,thresholds,open,',
].join("\r\n");

/** The rows in the warehouse, read while the app is stopped when the database is embedded. */
async function withDb<T>(read: (db: Db) => Promise<T>): Promise<T> {
  if (ctx.databaseUrl) return read(ctx.db);
  await app.stop();
  const warehouse = await openWarehouse({ dataDir });
  try {
    return await read(warehouse.db);
  } finally {
    await warehouse.close();
    app = await startApp({ DATA_DIR: dataDir });
  }
}

beforeAll(async () => {
  if (ctx.databaseUrl) {
    await prepare(ctx.db);
    app = await startApp({ DATABASE_URL: ctx.databaseUrl, CHILD_REF_SECRET: "e2e-secret-e2e-secret-e2e-secret-012345", BETTER_AUTH_SECRET: "e2e-auth-secret-e2e-auth-secret-0123456" });
  } else {
    const warehouse = await openWarehouse({ dataDir });
    await prepare(warehouse.db);
    await warehouse.close();
    app = await startApp({ DATA_DIR: dataDir });
  }
  browser = await launchBrowser();
  page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  page.on("dialog", (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("the uploads page", () => {
  let batchId: string;

  it("asks a visitor to sign in, and brings them back to the page", async () => {
    await page.goto(`${app.url}/uploads`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByLabel("Email address").fill(UPLOADER.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator(".error-summary").innerText()).toContain("The email address or password is not right.");
    await page.getByLabel("Password").fill(UPLOADER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Upload a log" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/uploads");
    // The browser logs the refused first attempt (401) as a console error: expected here, and only here.
    expect(consoleErrors).toEqual(["Failed to load resource: the server responded with a status of 401 (UNAUTHORIZED)"]);
    consoleErrors.length = 0;
  });

  it("says what is missing when the form is sent empty", async () => {
    await page.goto(`${app.url}/uploads`);
    await page.getByRole("button", { name: "Upload and check" }).click();
    await expect.poll(() => page.locator(".error-summary").innerText()).toContain("Choose the agency whose log this is. Choose a CSV file to upload.");
  });

  it("previews an upload: counts, notes and every reject with row, column, value and reason", async () => {
    const file = path.join(scratch, "north-escalations.csv");
    fs.writeFileSync(file, CSV);
    await page.getByLabel("Agency").selectOption("CSC");
    await page.getByLabel("Escalations").check();
    await page.getByLabel("CSV file").setInputFiles(file);
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.getByRole("heading", { name: "Check before loading: north-escalations.csv" }).waitFor();
    const counts = page.getByTestId("upload-counts");
    expect(await counts.locator("[data-count=rows]").innerText()).toBe("5");
    expect(await counts.locator("[data-count=loaded]").innerText()).toBe("3");
    expect(await counts.locator("[data-count=rejected]").innerText()).toBe("2");
    const rejects = await page.locator("table.rejects tbody tr").evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)),
    );
    expect(rejects).toEqual([
      ["5", "concern_arose_on", "31/02/2025", "is not a real date"],
      ["6", "receiving_agency", '=HYPERLINK("http://example.invalid")', 'is not a configured agency (by code, name or alias)'],
    ]);
  });

  it("loads on confirmation and lists the batch in the history", async () => {
    await page.getByRole("button", { name: "Load 3 row(s) and keep the 2 reject(s)" }).click();
    const heading = page.getByRole("heading", { name: /^Loaded as batch \d+$/ });
    await heading.waitFor();
    batchId = (await heading.innerText()).replace("Loaded as batch ", "");
    const row = page.locator(`tr[data-batch="${batchId}"]`);
    await row.waitFor();
    expect(await row.locator("td").allInnerTexts()).toEqual([
      batchId, expect.any(String), "CSC", "Escalations\nnorth-escalations.csv", "3", "0", "0", expect.stringMatching(/^2/), expect.stringMatching(/^In force/),
    ]);
    const rows = await withDb((db) => queryRows<{ n: number }>(db, sql`select count(*)::int as n from escalations`));
    expect(rows[0]!.n).toBe(3);
  });

  it("downloads the rejects as CSV with the formula neutralised", async () => {
    await page.goto(`${app.url}/uploads`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`tr[data-batch="${batchId}"] a[download]`).click()]);
    const text = fs.readFileSync((await download.path())!, "utf8");
    expect(text.split("\r\n")).toEqual([
      "row,record_ref,column,value,reason",
      "5,UI-4,concern_arose_on,31/02/2025,is not a real date",
      // The reason holds commas, so it is quoted; the formula cell starts with an apostrophe.
      `6,UI-5,receiving_agency,"'=HYPERLINK(""http://example.invalid"")","is not a configured agency (by code, name or alias)"`,
      "",
    ]);
  });

  it("undoes the batch", async () => {
    await page.locator(`tr[data-batch="${batchId}"]`).getByRole("button", { name: `Undo batch ${batchId}` }).click();
    // The undo and the page refresh behind it take a while when the whole suite runs at once.
    await expect.poll(() => page.locator(`tr[data-batch="${batchId}"]`).innerText(), { timeout: 10_000 }).toContain("Undone");
    const rows = await withDb((db) => queryRows<{ n: number; status: string }>(db, sql`select (select count(*)::int from escalations) as n, (select status from import_batches where id = ${Number(batchId)}) as status`));
    expect(rows[0]).toEqual({ n: 0, status: "undone" });
  });

  it("keeps the preview, with the reason, when loading fails", async () => {
    const file = path.join(scratch, "north-late.csv");
    fs.writeFileSync(file, "record_ref,raising_agency,receiving_agency,concern_arose_on,themes,status\nUI-9,CSC,HLT,2025-05-06,thresholds,open\n");
    await page.goto(`${app.url}/uploads`);
    await page.getByLabel("Agency").selectOption("CSC");
    await page.getByLabel("CSV file").setInputFiles(file);
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.getByRole("heading", { name: "Check before loading: north-late.csv" }).waitFor();
    // Cancelled from elsewhere (another tab) before the person presses Load. The upload's token names
    // its files in the app's upload folder (this machine's temporary folder, shared with the app).
    const folder = path.join(os.tmpdir(), "escalation-warehouse-uploads");
    const token = fs
      .readdirSync(folder)
      .filter((name) => name.endsWith(".json") && JSON.parse(fs.readFileSync(path.join(folder, name), "utf8")).fileName === "north-late.csv")
      .map((name) => name.replace(".json", ""))
      .pop();
    expect((await page.request.delete(`${app.url}/api/uploads/${token}`, { headers: { origin: app.url } })).status()).toBe(204);
    await page.getByRole("button", { name: "Load 1 row(s)" }).click();
    await expect.poll(() => page.locator(".panel .error-summary").innerText()).toBe(
      "The file was not loaded\n\nThis upload is no longer waiting to be loaded (it was loaded, cancelled, or is more than a day old). Upload the file again.",
    );
    expect(await page.getByRole("heading", { name: "Check before loading: north-late.csv" }).isVisible()).toBe(true);
    // Following it, signed out: nothing is said about it.
    expect((await (await browser.newContext()).request.get(`${app.url}/api/uploads/${token}`)).status()).toBe(401);
    // The refused load (404) is logged by the browser: expected here, and only here.
    expect(consoleErrors).toEqual(["Failed to load resource: the server responded with a status of 404 (Not Found)"]);
    consoleErrors.length = 0;
  });

  it("refuses what an uploader may not do, in pages and in every route", async () => {
    await page.goto(`${app.url}/audit`);
    await page.getByText("Only the partnership's business managers (admins) can read the audit log.").waitFor();
    const api = page.request;
    // Another agency's upload, and the audit log's export: refused with a reason.
    const otherAgency = await api.post(`${app.url}/api/uploads?kind=escalations&agency=HLT&fileName=x.csv`, { data: "record_ref\n", headers: { "content-type": "text/csv" } });
    expect(otherAgency.status()).toBe(403);
    expect((await otherAgency.json()).error).toBe("Your account may not see or change agency HLT. Ask your partnership's business manager if you need access.");
    expect((await api.get(`${app.url}/api/audit/export`)).status()).toBe(403);
    // A form posted from another site is refused.
    const foreign = await api.post(`${app.url}/api/uploads?kind=escalations&agency=CSC&fileName=x.csv`, { data: "x", headers: { "content-type": "text/csv", origin: "https://evil.example" } });
    expect(foreign.status()).toBe(403);
    // Signed out, nothing answers.
    const anonymous = await (await browser.newContext()).request;
    for (const path of ["/api/uploads/templates/escalations.csv", "/api/uploads/batches/1/rejects", "/api/audit/export"]) {
      expect([path, (await anonymous.get(`${app.url}${path}`)).status()]).toEqual([path, 401]);
    }
    expect((await anonymous.get(`${app.url}/api/trpc/partnerships.list`)).status()).toBe(401);
    expect((await anonymous.get(`${app.url}/uploads`, { maxRedirects: 0 })).status()).toBe(307);
  });

  it("raised no errors in the browser console", () => {
    expect(consoleErrors).toEqual([]);
  });
});
