import type { Browser } from "playwright-core";
import { launchChromium } from "../../reports/chromium";

/** Debian's Chromium, headless, with the flags this machine needs (no sandbox as root, no network chatter). */
export async function launchBrowser(): Promise<Browser> {
  return launchChromium();
}
