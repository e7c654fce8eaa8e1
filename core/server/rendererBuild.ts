import { existsSync } from "node:fs";
import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import lockfile from "proper-lockfile";
import { EngramError } from "../errors.ts";

const repository = fileURLToPath(new URL("../../", import.meta.url));

/** What the built renderer is made from: its own sources, the contract it imports, and the build's configuration. */
export const rendererSources = ["renderer", "core/api", "core/server/contentSecurityPolicy.ts", "vite.config.ts"].map(
  (path) => join(repository, path),
);

/** The newest modification time of a file, or of any file under a folder (0 when absent). */
async function newestMtime(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

/** Why the renderer in `rendererDir` needs building ("missing", "stale"), or null when it is up to date. */
export async function rendererBuildNeeded(rendererDir: string, sources = rendererSources): Promise<string | null> {
  const index = join(rendererDir, "index.html");
  if (!existsSync(index)) return "missing";
  const built = (await stat(index)).mtimeMs;
  const newest = Math.max(...(await Promise.all(sources.map(newestMtime))));
  return newest > built ? "stale" : null;
}

/**
 * Builds the renderer (vite, with the repository's vite.config.ts) when it is missing or older than its sources, so
 * `npm run serve` and `npm start` on a fresh clone show the app rather than "not built". Processes starting at
 * once (tests in parallel) build one at a time under a lock, and the second finds the build fresh. Where vite is not
 * installed (a production install), says so instead. Progress goes to stderr: stdout is for the listening line.
 */
export async function ensureRendererBuilt(
  rendererDir: string,
  options: { log?: (line: string) => void; sources?: string[] } = {},
): Promise<void> {
  const log = options.log ?? ((line: string) => console.error(line));
  const sources = options.sources ?? rendererSources;
  if ((await rendererBuildNeeded(rendererDir, sources)) === null) return;
  const buildRoot = join(rendererDir, "..");
  await mkdir(buildRoot, { recursive: true });
  const release = await lockfile.lock(buildRoot, {
    lockfilePath: join(buildRoot, ".renderer-build.lock"),
    retries: { retries: 120, minTimeout: 250, maxTimeout: 1000 },
    stale: 120_000,
  });
  try {
    const reason = await rendererBuildNeeded(rendererDir, sources);
    if (reason === null) return;
    log(`Engram: building the renderer (${reason === "missing" ? "not built yet" : "its sources changed"})…`);
    let build: typeof import("vite").build;
    try {
      ({ build } = await import("vite"));
    } catch (error) {
      throw new EngramError(
        "internal",
        `The renderer is not built and vite is not installed to build it (${(error as Error).message}). Run \`npm ci\` with the development dependencies, then \`npm run build:renderer\`.`,
      );
    }
    await build({
      configFile: join(repository, "vite.config.ts"),
      logLevel: "error",
      build: { outDir: rendererDir, emptyOutDir: true },
    });
  } finally {
    await release();
  }
}
