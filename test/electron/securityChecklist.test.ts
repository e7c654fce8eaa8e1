/**
 * Electron's security checklist, verified on the real main process: electron/main.ts is bundled with a fake
 * `electron` module (fakeElectronMain.ts) in place of the binary and started on a temporary data folder. The test
 * then reads what main really asked for: the window's webPreferences, the CSP on every app:// response, and what
 * happens to navigation, new windows and permission requests in any web contents. Also: the desktop app takes the
 * data folder's lock (and is refused, with a dialog, while `npm run serve` holds it), and the packaged binary's fuses.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { FuseV1Options, getCurrentFuseWire } from "@electron/fuses";
import { Engine } from "../../core/engine.ts";
import { contentSecurityPolicy } from "../../core/server/contentSecurityPolicy.ts";
import { DataFolderLock } from "../../core/store/dataFolderLock.ts";
import { appEntryUrl } from "../../electron/appProtocol.ts";
import { buildElectron, packagingBuildDir } from "../../electron/build.ts";
import { engramFuses, flipEngramFuses, packagedElectronPath, type AfterPackContext } from "../../electron/fuses.ts";
import { mainWindowWebPreferences } from "../../electron/windowOptions.ts";
import type { FakeElectronRecord } from "./fakeElectronMain.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Bundles main.ts against the fake electron module, into build/ so its other imports resolve from node_modules. */
async function bundleMain(name: string): Promise<string> {
  const outfile = join(root, "build", `security-test-${process.pid}`, `${name}.mjs`);
  await build({
    absWorkingDir: root,
    entryPoints: ["electron/main.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    alias: { electron: "./test/electron/fakeElectronMain.ts" },
    logLevel: "error",
  });
  return outfile;
}

function freshRecord(userData: string): FakeElectronRecord {
  const record: FakeElectronRecord = {
    userData,
    appListeners: new Map(),
    windows: [],
    protocolHandlers: new Map(),
    privilegedSchemes: [],
    ipcChannels: new Set(),
    errorBoxes: [],
    exitCodes: [],
    quits: 0,
    singleInstanceRequested: false,
  };
  (globalThis as unknown as { engramFakeElectron: FakeElectronRecord }).engramFakeElectron = record;
  return record;
}

/** Runs main as Electron would (`electron . --data DIR`) and waits until it loaded its window or gave up. */
async function startMain(name: string, dataDir: string, userData: string): Promise<FakeElectronRecord> {
  const record = freshRecord(userData);
  const file = await bundleMain(name);
  const argv = process.argv;
  process.argv = [process.execPath, file, "--data", dataDir];
  try {
    await import(pathToFileURL(file).href);
  } finally {
    process.argv = argv;
  }
  await waitUntil(() => (record.windows[0]?.loaded.length ?? 0) > 0 || record.errorBoxes.length > 0);
  return record;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 30_000) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const preventable = () => {
  const event = { prevented: false, preventDefault: () => void (event.prevented = true) };
  return event;
};

describe("Electron security checklist, on the real main process", () => {
  let scratch: string;
  let record: FakeElectronRecord;
  let dataDir: string;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "engram-electron-"));
    dataDir = join(scratch, "data");
    record = await startMain("main", dataDir, join(scratch, "userData"));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
    await rm(join(root, "build", `security-test-${process.pid}`), { recursive: true, force: true });
  });

  test("the window is sandboxed, isolated, without Node, with web security, no webview, no drag navigation", () => {
    assert.equal(record.windows.length, 1);
    const preferences = record.windows[0]!.options.webPreferences as Record<string, unknown>;
    assert.equal(preferences.sandbox, true);
    assert.equal(preferences.contextIsolation, true);
    assert.equal(preferences.nodeIntegration, false);
    assert.equal(preferences.nodeIntegrationInWorker, false);
    assert.equal(preferences.nodeIntegrationInSubFrames, false);
    assert.equal(preferences.webSecurity, true);
    assert.equal(preferences.allowRunningInsecureContent, false);
    assert.equal(preferences.webviewTag, false);
    assert.equal(preferences.navigateOnDragDrop, false);
    assert.match(String(preferences.preload), /preload\.cjs$/);
    for (const risky of ["enableBlinkFeatures", "experimentalFeatures", "enableRemoteModule", "disableBlinkFeatures"]) {
      assert.equal(preferences[risky], undefined, risky);
    }
    assert.equal(mainWindowWebPreferences("/p.cjs", true).devTools, false, "no developer tools in a packaged app");
    assert.deepEqual(record.windows[0]!.loaded, [appEntryUrl], "the app is loaded from its own scheme, not file://");
  });

  test("every app:// response carries the strict CSP and safe headers", async () => {
    const handler = record.protocolHandlers.get("engram");
    assert.ok(handler, "main serves the engram: scheme");
    for (const url of [appEntryUrl, "engram://app/assets/missing.js", "engram://app/%2e%2e/secret"]) {
      const response = await handler(new Request(url));
      assert.equal(response.headers.get("content-security-policy"), contentSecurityPolicy, url);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", url);
    }
    assert.doesNotMatch(contentSecurityPolicy, /unsafe-|\*|http:|https:/);
    assert.match(contentSecurityPolicy, /default-src 'none'/);
    assert.match(contentSecurityPolicy, /frame-ancestors 'none'/);
    assert.ok(record.privilegedSchemes.some((scheme) => (scheme as { scheme: string }).scheme === "engram"));
  });

  test("any web contents refuses navigation, redirects, webviews, new windows and every permission", () => {
    const created = record.appListeners.get("web-contents-created") ?? [];
    assert.equal(created.length, 1);
    const listeners = new Map<string, (event: ReturnType<typeof preventable>, url: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    let permissionRequest:
      ((contents: unknown, permission: string, answer: (granted: boolean) => void) => void) | null = null;
    let permissionCheck: ((contents: unknown, permission: string) => boolean) | null = null;
    created[0]!(
      {},
      {
        on: (name: string, listener: (event: ReturnType<typeof preventable>, url: string) => void) =>
          void listeners.set(name, listener),
        setWindowOpenHandler: (handler: typeof openHandler) => void (openHandler = handler),
        session: {
          setPermissionRequestHandler: (handler: typeof permissionRequest) => void (permissionRequest = handler),
          setPermissionCheckHandler: (handler: typeof permissionCheck) => void (permissionCheck = handler),
        },
      },
    );
    for (const name of ["will-navigate", "will-redirect", "will-attach-webview"]) {
      const event = preventable();
      listeners.get(name)!(event, "https://evil.example/");
      assert.ok(event.prevented, name);
    }
    assert.deepEqual(openHandler!({ url: "https://evil.example/" }), { action: "deny" });
    for (const permission of ["media", "geolocation", "notifications", "clipboard-read", "fullscreen"]) {
      let granted: boolean | null = null;
      permissionRequest!({}, permission, (answer) => (granted = answer));
      assert.equal(granted, false, permission);
      assert.equal(permissionCheck!({}, permission), false, permission);
    }
  });

  test("the app holds the data folder: a second process is refused until the app quits", async () => {
    assert.ok(record.singleInstanceRequested, "a second app instance hands over to the first");
    await assert.rejects(Engine.open({ dataDir, runJobs: false }), /in use by the Engram desktop app/);
    const beforeQuit = record.appListeners.get("before-quit") ?? [];
    assert.equal(beforeQuit.length, 1, "quitting is guarded");
    // Quitting disposes the engine, which lets the folder go; then the guard quits for real.
    const event = preventable();
    beforeQuit[0]!(event);
    assert.ok(event.prevented, "the first quit waits for the engine");
    await waitUntil(() => record.quits > 0);
    const engine = await Engine.open({ dataDir, runJobs: false });
    await engine.dispose();
  });

  test("opened while `npm run serve` holds the folder, the app says so in a dialog and exits", async () => {
    const busyDir = join(scratch, "busy");
    await mkdir(busyDir);
    const serve = await DataFolderLock.acquire(busyDir, { purpose: "Engram's headless server" });
    try {
      const refused = await startMain("main-refused", busyDir, join(scratch, "userData2"));
      await waitUntil(() => refused.exitCodes.length > 0);
      assert.equal(refused.errorBoxes.length, 1);
      assert.equal(refused.errorBoxes[0]!.title, "Engram cannot start");
      assert.match(refused.errorBoxes[0]!.content, /is in use by Engram's headless server \(process \d+/);
      assert.deepEqual(refused.exitCodes, [1]);
    } finally {
      await serve.release();
    }
  });
});

describe("Electron fuses of the packaged app", () => {
  const context = (platform: string): AfterPackContext => ({
    appOutDir: "/out",
    electronPlatformName: platform,
    packager: { appInfo: { productFilename: "Engram" }, executableName: "engram" },
  });

  test("the afterPack hook flips RunAsNode, NODE_OPTIONS and inspect off, asar-only and integrity on", async () => {
    for (const [platform, binary] of [
      ["linux", "/out/engram"],
      ["win32", "/out/Engram.exe"],
      ["darwin", "/out/Engram.app"],
    ] as const) {
      const flipped: { path: string; config: Record<string, unknown> }[] = [];
      await flipEngramFuses(
        context(platform),
        async (path, config) => void flipped.push({ path, config: config as Record<string, unknown> }),
        async () => ({ "0": 0x30, "2": 0x30, "3": 0x30, "4": 0x31, "5": 0x31 }),
      );
      assert.equal(packagedElectronPath(context(platform)), binary);
      assert.equal(flipped.length, 1);
      assert.equal(flipped[0]!.path, binary);
      const config = flipped[0]!.config;
      assert.equal(config.version, "1");
      assert.equal(config[FuseV1Options.RunAsNode], false);
      assert.equal(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable], false);
      assert.equal(config[FuseV1Options.EnableNodeCliInspectArguments], false);
      assert.equal(config[FuseV1Options.OnlyLoadAppFromAsar], true);
      assert.equal(config[FuseV1Options.EnableEmbeddedAsarIntegrityValidation], true);
      assert.equal(config.resetAdHocDarwinSignature, platform === "darwin");
    }
  });

  test("a binary whose fuses did not take fails the package", async () => {
    await assert.rejects(
      flipEngramFuses(
        context("linux"),
        async () => undefined,
        async () => ({ "0": 0x31 }),
      ),
      /RunAsNode did not take/,
    );
  });

  test("package.json wires the built hook, and it flips a real fuse wire with @electron/fuses", async (t) => {
    const packageJson = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
      build: { afterPack?: string; files: string[] };
    };
    assert.equal(packageJson.build.afterPack, "build/packaging/afterPack.mjs");
    assert.ok(!packageJson.build.files.some((pattern) => pattern.startsWith("build/packaging")), "not shipped");
    await buildElectron();
    const hook = (await import(pathToFileURL(join(packagingBuildDir, "afterPack.mjs")).href)) as {
      default: (context: AfterPackContext) => Promise<void>;
    };
    // An "Electron binary" holding just the fuse wire, every fuse in its default state (all enabled).
    const appOutDir = await mkdtemp(join(tmpdir(), "engram-fuses-"));
    t.after(() => rm(appOutDir, { recursive: true, force: true }));
    const sentinel = "dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX";
    const wire = Buffer.concat([
      Buffer.from("\x7fELF..."),
      Buffer.from(sentinel),
      Buffer.from([1, 8]),
      Buffer.from("11111111"),
    ]);
    await writeFile(join(appOutDir, "engram"), wire);
    await hook.default({ ...context("linux"), appOutDir });
    const fuses = await getCurrentFuseWire(join(appOutDir, "engram"));
    const state = (option: FuseV1Options) => String.fromCharCode(fuses[option] as number);
    assert.equal(state(FuseV1Options.RunAsNode), "0");
    assert.equal(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable), "0");
    assert.equal(state(FuseV1Options.EnableNodeCliInspectArguments), "0");
    assert.equal(state(FuseV1Options.OnlyLoadAppFromAsar), "1");
    assert.equal(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation), "1");
    assert.equal(Object.keys(engramFuses).length, 5);
  });
});
