/**
 * Bundles the Electron main process (ESM, dependencies left to node_modules, which electron-builder packages) and the
 * preload (one self-contained CommonJS file: a sandboxed preload can require nothing but `electron`) into
 * build/electron/. Run with `npm run build:electron`; `npm start` calls it too.
 */
import { build, type BuildOptions } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
export const electronBuildDir = fileURLToPath(new URL("../build/electron/", import.meta.url));
/** What electron-builder runs but does not package (its hooks). */
export const packagingBuildDir = fileURLToPath(new URL("../build/packaging/", import.meta.url));

const shared: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  logLevel: "warning",
  sourcemap: "linked",
  legalComments: "none",
};

export async function buildElectron(): Promise<void> {
  await Promise.all([
    build({
      ...shared,
      entryPoints: ["electron/main.ts"],
      outfile: `${electronBuildDir}main.js`,
      platform: "node",
      format: "esm",
      // Electron 45 ships Node 22.
      target: "node22",
      packages: "external",
    }),
    // The model host runs in a utilityProcess, which needs plain JavaScript (no tsx in a packaged app).
    build({
      ...shared,
      entryPoints: ["core/model/modelHostEntry.ts"],
      outfile: `${electronBuildDir}modelHost.js`,
      platform: "node",
      format: "esm",
      target: "node22",
      packages: "external",
    }),
    // electron-builder imports its afterPack hook as plain ESM in its own Node process.
    build({
      ...shared,
      entryPoints: ["electron/afterPack.ts"],
      outfile: `${packagingBuildDir}afterPack.mjs`,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
    }),
    build({
      ...shared,
      entryPoints: ["electron/preload.ts"],
      outfile: `${electronBuildDir}preload.cjs`,
      platform: "browser",
      format: "cjs",
      target: "chrome140",
      // zod comes along with the contract's name tables; minifying keeps the per-window preload cost small.
      minify: true,
      external: ["electron"],
    }),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildElectron();
