/**
 * Single sign-on end to end: a real OpenID Connect provider (oidc-provider, a certified
 * implementation) started on 127.0.0.1, the production app configured for it by environment, and
 * headless Chromium signing in through it. Only a person an admin added can get in.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Server } from "node:http";
import Provider from "oidc-provider";
import type { Browser } from "playwright-core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWarehouse, queryRows, type Db } from "../db/client";
import { createAuth } from "../server/access/auth";
import { addUser } from "../server/access/users";
import { freePort, startApp, type RunningApp } from "./support/app";
import { launchBrowser } from "./support/browser";
import { useTestWarehouse } from "./support/db";
import { loadSmallWorld } from "./support/reference";

const ctx = useTestWarehouse();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ew-sso-"));
const dataDir = path.join(scratch, "data");
const CLIENT = { id: "escalation-warehouse", secret: "sso-client-secret-sso-client-secret-0123" };
let app: RunningApp;
let idp: Server;
let browser: Browser;

async function prepare(db: Db): Promise<void> {
  await loadSmallWorld(db);
  await addUser(db, createAuth(db, { secret: "unused-for-hashing-unused-for-hashing-0" }), { email: "chair@north.example", role: "board", scope: "north" }, "test");
}

beforeAll(async () => {
  const [appPort, idpPort] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${idpPort}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [`http://127.0.0.1:${appPort}/api/auth/callback/sso`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    // The development login form accepts any login: the login is the person's email.
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, email: id, email_verified: true, name: `SSO ${id}` }) };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["sso-test-cookie-key-0123456789"] },
  });
  idp = provider.listen(idpPort, "127.0.0.1");
  const sso = { OIDC_DISCOVERY_URL: `${issuer}/.well-known/openid-configuration`, OIDC_CLIENT_ID: CLIENT.id, OIDC_CLIENT_SECRET: CLIENT.secret };
  if (ctx.databaseUrl) {
    await prepare(ctx.db);
    app = await startApp({ DATABASE_URL: ctx.databaseUrl, CHILD_REF_SECRET: "sso-child-secret-sso-child-secret-012345", BETTER_AUTH_SECRET: "sso-auth-secret-sso-auth-secret-01234567", ...sso }, appPort);
  } else {
    const warehouse = await openWarehouse({ dataDir });
    await prepare(warehouse.db);
    await warehouse.close();
    app = await startApp({ DATA_DIR: dataDir, ...sso }, appPort);
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await new Promise((resolve) => idp?.close(resolve));
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function signInThroughProvider(login: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${app.url}/`);
  await page.getByRole("button", { name: "Sign in with your organisation's account" }).click();
  await page.locator("input[name=login]").waitFor({ timeout: 15_000 });
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  const consent = page.getByRole("button", { name: "Continue" });
  if (await consent.isVisible({ timeout: 5000 }).catch(() => false)) await consent.click();
  return page;
}

describe("single sign-on", () => {
  it("signs in a person the admin added, through the organisation's identity provider", async () => {
    const page = await signInThroughProvider("chair@north.example");
    await page.getByRole("heading", { name: "Overview" }).waitFor({ timeout: 20_000 });
    await expect(page.locator(".govuk-caption-l").textContent()).resolves.toBe("North Safeguarding Children Partnership");
    expect(new URL(page.url()).origin).toBe(app.url);
  });

  it("keeps out a person nobody added, even with a valid identity", async () => {
    const page = await signInThroughProvider("stranger@elsewhere.example");
    await page.waitForURL((url) => url.origin === app.url, { timeout: 20_000 });
    await page.goto(`${app.url}/`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  });

  it("records the sign-in", async () => {
    const read = async (db: Db) =>
      queryRows<{ actor: string; outcome: string }>(db, sql`select actor, outcome from audit_log where action = 'sign_in' and details->>'method' like '/callback/%' order by id`);
    let rows;
    if (ctx.databaseUrl) rows = await read(ctx.db);
    else {
      await app.stop();
      const warehouse = await openWarehouse({ dataDir });
      rows = await read(warehouse.db);
      await warehouse.close();
    }
    expect(rows[0]).toEqual({ actor: "chair@north.example", outcome: "success" });
  });
});
