import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { runInNewContext } from "node:vm";
import { buildElectron, electronBuildDir } from "../../electron/build.ts";

const require = createRequire(import.meta.url);
const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  build: Record<string, unknown> & {
    asarUnpack: string[];
    electronVersion: string;
    linux: { target: string[]; icon: string };
    mac: { target: string[]; icon: string };
    win: { target: string[]; icon: string };
  };
};

describe("packaging (electron-builder cannot run here: no Electron binary)", () => {
  const config = packageJson.build;

  test("the configuration passes electron-builder's own schema validation", async () => {
    const { validateConfiguration } = require("app-builder-lib/out/util/config/config.js") as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require("builder-util") as { DebugLogger: new (enabled: boolean) => unknown };
    await validateConfiguration(structuredClone(config), new DebugLogger(false));
  });

  test("names the app and pins the Electron version (electron is optional, so it cannot be detected)", () => {
    assert.equal(config.productName, "Engram");
    assert.match(String(config.appId), /^[a-z]+(\.[a-z]+)+$/);
    assert.equal(config.electronVersion, packageJson.optionalDependencies.electron);
    assert.equal(packageJson.main, "build/electron/main.js");
    assert.match(packageJson.scripts.dist ?? "", /electron-builder/);
  });

  test("builds AppImage and deb for Linux, dmg for macOS, nsis for Windows, with the icon from assets/", () => {
    assert.deepEqual([...config.linux.target].sort(), ["AppImage", "deb"]);
    assert.deepEqual(config.mac.target, ["dmg"]);
    assert.deepEqual(config.win.target, ["nsis"]);
    for (const platform of [config.linux, config.mac, config.win]) {
      const icon = readFileSync(new URL(`../../${platform.icon}`, import.meta.url));
      assert.equal(icon.subarray(1, 4).toString("ascii"), "PNG");
      // electron-builder needs at least 512 px (macOS wants 1024) to derive every size.
      assert.ok(icon.readUInt32BE(16) >= 512 && icon.readUInt32BE(20) >= 512);
    }
  });

  test("unpacks every native module from the asar", () => {
    for (const name of ["@lancedb", "node-llama-cpp", "@node-llama-cpp", "onnxruntime-node"]) {
      assert.ok(config.asarUnpack.includes(`node_modules/${name}/**`), name);
    }
    assert.ok(config.asarUnpack.includes("**/*.node"));
    for (const dependency of ["@lancedb/lancedb", "node-llama-cpp"]) assert.ok(packageJson.dependencies[dependency]);
  });

  test("the preload bundle is self-contained CommonJS needing only electron, and exposes window.engram", async () => {
    await buildElectron();
    const source = readFileSync(`${electronBuildDir}preload.cjs`, "utf8");
    const required = new Set([...source.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]));
    assert.deepEqual([...required], ["electron"]);
    const exposed: Record<string, unknown> = {};
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
      ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined },
    };
    const module = { exports: {} };
    runInNewContext(source, {
      require: (id: string) => (id === "electron" ? fakeElectron : assert.fail(`preload required ${id}`)),
      module,
      exports: module.exports,
      console,
    });
    assert.deepEqual(Object.keys(exposed), ["engram"]);
    const main = readFileSync(`${electronBuildDir}main.js`, "utf8");
    assert.match(main, /from "electron"/);
    assert.match(main, /sandbox: true/);
  });
});
