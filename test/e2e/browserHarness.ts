import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
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

const sourceDirs = ["../../renderer/", "../../core/api/"].map((path) => fileURLToPath(new URL(path, import.meta.url)));

/** The newest modification time of any file under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the renderer when there is no build or its sources changed since, so a test never drives a stale page. */
export async function ensureRendererBuilt(): Promise<void> {
  const index = `${rendererDir}index.html`;
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sourceDirs.map(newestMtime))) return;
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
