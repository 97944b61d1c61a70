/**
 * Debian's Chromium, headless, through playwright-core: prints documents to PDF (and drives the
 * browser tests). The flags are the ones this kind of machine needs: no sandbox as root, no GPU, no
 * network chatter. CHROMIUM_PATH overrides the path.
 */
import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { processWide } from "../db/processWide";

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

/** The browser being started (or started); emptied when it fails to start or goes away. */
const held = () => processWide("chromium", () => ({ browser: undefined as Promise<Browser> | undefined }));

/** One browser per process for printing, started on first use and closed when the process exits. */
export function sharedChromium(): Promise<Browser> {
  const slot = held();
  if (!slot.browser) {
    const starting = launchChromium().then((browser) => {
      browser.on("disconnected", () => {
        if (slot.browser === starting) slot.browser = undefined;
      });
      process.once("exit", () => void browser.close());
      return browser;
    });
    starting.catch(() => {
      if (slot.browser === starting) slot.browser = undefined;
    });
    slot.browser = starting;
  }
  return slot.browser;
}

/** Closes the shared browser (a command-line run ends only when it is gone). */
export async function closeSharedChromium(): Promise<void> {
  const slot = held();
  const browser = slot.browser;
  slot.browser = undefined;
  if (browser) await (await browser).close();
}
