/**
 * Debian's Chromium, headless, through playwright-core: prints documents to PDF (and drives the
 * browser tests). The flags are the ones this kind of machine needs: no sandbox as root, no GPU, no
 * network chatter. CHROMIUM_PATH overrides the path.
 */
import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`PDFs and browser tests need Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

const SHARED = Symbol.for("escalation-warehouse.chromium");
type GlobalWithBrowser = typeof globalThis & { [SHARED]?: Promise<Browser> };

/** One browser per process for printing, started on first use and closed when the process exits. */
export function sharedChromium(): Promise<Browser> {
  const g = globalThis as GlobalWithBrowser;
  if (!g[SHARED]) {
    g[SHARED] = launchChromium().then((browser) => {
      browser.on("disconnected", () => delete g[SHARED]);
      process.once("exit", () => void browser.close());
      return browser;
    });
    g[SHARED].catch(() => delete g[SHARED]);
  }
  return g[SHARED];
}

/** Closes the shared browser (a command-line run ends only when it is gone). */
export async function closeSharedChromium(): Promise<void> {
  const g = globalThis as GlobalWithBrowser;
  const held = g[SHARED];
  delete g[SHARED];
  if (held) await (await held).close();
}
