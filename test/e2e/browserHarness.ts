import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { build } from "vite";

/** The system Chromium the end-to-end tests drive (Debian package `chromium`); never a downloaded browser. */
export const chromiumPath = process.env.ENGRAM_CHROMIUM ?? "/usr/bin/chromium";

export const rendererDir = fileURLToPath(new URL("../../build/renderer/", import.meta.url));
export const screenshotDir = fileURLToPath(new URL("../../build/screenshots/", import.meta.url));

/** Why the browser tests cannot run here, or null when they can. */
export function browserUnavailableReason(): string | null {
  return existsSync(chromiumPath)
    ? null
    : `${chromiumPath} is absent: install Debian's chromium package (apt-get install -y chromium) to run this test.`;
}

/** Builds the renderer unless a build is already there (tests do not rebuild on every run; `npm run build` does). */
export async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(`${rendererDir}index.html`)) return;
  await build({ configFile: fileURLToPath(new URL("../../vite.config.ts", import.meta.url)), logLevel: "warn" });
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
