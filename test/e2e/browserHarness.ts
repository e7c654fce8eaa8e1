import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { ensureRendererBuilt as ensureBuilt } from "../../core/server/rendererBuild.ts";

/** The system Chromium the end-to-end tests drive (Debian package `chromium`); never a downloaded browser. */
export const chromiumPath = process.env.ENGRAM_CHROMIUM ?? "/usr/bin/chromium";

export const rendererDir = fileURLToPath(new URL("../../build/renderer/", import.meta.url));
/** Screenshots of every screen the end-to-end tests take, light and dark, to look at (git ignores the folder). */
export const screenshotDir = fileURLToPath(new URL("../../test-results/", import.meta.url));

/** Why the browser tests cannot run here, or null when they can. */
export function browserUnavailableReason(): string | null {
  return existsSync(chromiumPath)
    ? null
    : `${chromiumPath} is absent: install Debian's chromium package (apt-get install -y chromium) to run this test.`;
}

/** Builds the renderer when there is no build or its sources changed since, so a test never drives a stale page. */
export function ensureRendererBuilt(): Promise<void> {
  return ensureBuilt(rendererDir, { log: () => undefined });
}

/** Launches headless Chromium with nothing reaching the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/** Saves a screenshot of the page as test-results/<name>.png (the folder is made if needed). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}
