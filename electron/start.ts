/**
 * `npm start`: builds the renderer (when missing or stale) and the Electron bundles, then opens the desktop app. Where the Electron binary is
 * absent (it is an optional dependency), says so in one line and serves the same app headless instead.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { EngramError } from "../core/errors.ts";
import { parseLaunchArguments } from "../core/server/cliArguments.ts";
import { defaultRendererDir } from "../core/server/headlessSession.ts";
import { ensureRendererBuilt } from "../core/server/rendererBuild.ts";
import { runHeadless } from "../core/server/runHeadless.ts";
import { buildElectron } from "./build.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The Electron executable, or the reason there is none. */
export function findElectronBinary(): { path: string } | { missing: string } {
  let found: unknown;
  try {
    // The electron package's main export is the path of its downloaded binary; it throws when the download is missing.
    found = createRequire(import.meta.url)("electron");
  } catch (error) {
    return { missing: (error as Error).message.split("\n")[0] ?? "not installed" };
  }
  if (typeof found !== "string" || !existsSync(found)) return { missing: "the electron package has no binary" };
  return { path: found };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // The renderer is built only when missing or older than its sources; the small Electron bundles every time.
  await Promise.all([ensureRendererBuilt(defaultRendererDir), buildElectron()]);
  const electron = findElectronBinary();
  if ("missing" in electron) {
    console.error(`Engram: Electron is not available here (${electron.missing}); starting headless mode instead.`);
    await runHeadless(parseLaunchArguments(argv));
    return;
  }
  const child = spawn(electron.path, [root, ...argv], { stdio: "inherit" });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

try {
  await main();
} catch (error) {
  console.error(`Engram: ${error instanceof EngramError ? error.message : String((error as Error).stack ?? error)}`);
  process.exitCode = 1;
}
