/**
 * Screenshots of every dashboard page, for the docs and for review, from a running app:
 *
 *   npm run demo                                   (in one terminal; note the demo sign-ins it prints)
 *   SCREENSHOT_PASSWORD=… npx tsx scripts/screenshots.ts [--url http://127.0.0.1:3000] [--email admin@demo.example] [--out docs/screenshots]
 *
 * Headless Debian Chromium through playwright-core; full-page PNGs named after the pages.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { launchBrowser } from "../tests/support/browser";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3000" },
    email: { type: "string", default: "admin@demo.example" },
    out: { type: "string", default: "docs/screenshots" },
    agency: { type: "string", default: "HIOWC" },
    partnership: { type: "string", default: "hampshire" },
  },
});
const password = process.env.SCREENSHOT_PASSWORD;
if (!password) throw new Error("Set SCREENSHOT_PASSWORD to the password of --email (npm run cli -- users reset --email … prints a new one).");

const PAGES: Array<[string, string]> = [
  ["overview", `/?partnership=${values.partnership}`],
  ["escalations", `/escalations?partnership=${values.partnership}`],
  ["themes", `/themes?partnership=${values.partnership}`],
  ["dissent", `/dissent?partnership=${values.partnership}`],
  ["agency-profile", `/agencies/${values.agency}`],
  ["data-quality", `/data-quality?partnership=${values.partnership}`],
  ["records", `/records?partnership=${values.partnership}`],
  ["glossary", "/glossary"],
  ["reports", `/reports?partnership=${values.partnership}`],
  ["scrutiny", `/scrutiny?partnership=${values.partnership}`],
  ["uploads", "/uploads"],
  ["audit", "/audit"],
  ["users", "/admin/users"],
];

const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${values.url}/sign-in`);
  await page.getByLabel("Email address").fill(values.email!);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  fs.mkdirSync(values.out!, { recursive: true });
  for (const [name, href] of PAGES) {
    await page.goto(`${values.url}${href}`);
    if (name === "records") await page.locator("#records[data-rows]").waitFor();
    const file = path.join(values.out!, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`${file}  ${href}`);
  }
  // One record's stage timeline: the first record of the records table.
  await page.goto(`${values.url}/records?partnership=${values.partnership}`);
  await page.locator("#records[data-rows] tbody a").first().click();
  await page.locator("#stage-timeline").waitFor();
  const file = path.join(values.out!, "record.png");
  await page.screenshot({ path: file, fullPage: true });
  console.log(`${file}  ${new URL(page.url()).pathname}`);
} finally {
  await browser.close();
}
