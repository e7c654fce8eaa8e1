/**
 * The desktop app's side of MCP, on the real main process (electron/main.ts bundled with the fake `electron` module
 * of test/electron, as the security checklist does): the app serves the contract on loopback for the MCP server and
 * advertises it in the data folder, and `Engram --mcp` makes the same binary the MCP server on stdio.
 */
import assert from "node:assert/strict";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ServerAdvert, serverAdvertFile } from "../../core/mcp/serverAdvert.ts";
import type { FakeElectronRecord } from "../electron/fakeElectronMain.ts";
import { connectMcp, dataFolderWithAccess, root } from "./mcpHarness.ts";

const bundleDir = join(root, "build", `mcp-desktop-test-${process.pid}`);

function freshRecord(userData: string): FakeElectronRecord {
  return {
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
}

async function waitUntil(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 50) {
    if (waited > 60_000) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe("MCP and the desktop app", () => {
  let mainFile: string;

  before(async () => {
    mainFile = join(bundleDir, "main.mjs");
    await build({
      absWorkingDir: root,
      entryPoints: ["electron/main.ts"],
      outfile: mainFile,
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      alias: { electron: "./test/electron/fakeElectronMain.ts" },
      logLevel: "error",
    });
  });
  after(() => rm(bundleDir, { recursive: true, force: true }));

  test("while the app is open, the MCP server goes through it; the advert goes when the app quits", async (t) => {
    const dataDir = await dataFolderWithAccess(t, "write");
    const record = freshRecord(join(dataDir, "..", "userData-unused"));
    (globalThis as unknown as { engramFakeElectron: FakeElectronRecord }).engramFakeElectron = record;
    const argv = process.argv;
    process.argv = [process.execPath, mainFile, "--data", dataDir];
    try {
      await import(`${pathToFileURL(mainFile).href}?app`);
    } finally {
      process.argv = argv;
    }
    const advertPath = join(dataDir, serverAdvertFile);
    await waitUntil(() => exists(advertPath));
    if (process.platform !== "win32") assert.equal((await stat(advertPath)).mode & 0o777, 0o600);
    const advert = ServerAdvert.parse(JSON.parse(await readFile(advertPath, "utf8")));
    assert.equal(advert.pid, process.pid);
    const appCall = async (method: string, input: unknown = {}) => {
      const response = await fetch(`${advert.url}/api/${method}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${advert.token}`, "Content-Type": "application/json" },
        body: JSON.stringify(input),
      });
      return ((await response.json()) as { data: Record<string, unknown> }).data;
    };
    try {
      const mcp = await connectMcp(t, dataDir, "VS Code");
      const added = await mcp.call("add_memory", { text: "The user's cat is called Miso." });
      assert.equal(added.isError, false, added.text + mcp.stderr());
      const { hits } = (await appCall("memory.search", { query: "cat Miso" })) as { hits: { text: string }[] };
      assert.equal(hits[0]?.text, "The user's cat is called Miso.");
      const { clients } = (await appCall("mcp.clients")) as { clients: { name: string; calls: number }[] };
      assert.deepEqual(
        clients.map(({ name, calls }) => ({ name, calls })),
        [{ name: "VS Code", calls: 1 }],
      );
      await mcp.close();
    } finally {
      const event = { defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
      for (const listener of record.appListeners.get("before-quit") ?? []) listener(event);
      await waitUntil(() => record.quits > 0);
    }
    assert.equal(await exists(advertPath), false);
  });

  test("`Engram --mcp` is the MCP server on stdio: no window, no single-instance lock, the same tools", async (t) => {
    const dataDir = await dataFolderWithAccess(t, "write");
    // The fake electron module reads its record from globalThis, so a small launcher puts one there first.
    const launcher = join(bundleDir, "launchMcp.mjs");
    await writeFile(
      launcher,
      `globalThis.engramFakeElectron = { userData: process.env.ENGRAM_TEST_USER_DATA, appListeners: new Map(),
        windows: [], protocolHandlers: new Map(), privilegedSchemes: [], ipcChannels: new Set(), errorBoxes: [],
        exitCodes: [], quits: 0, singleInstanceRequested: false };
      process.on("exit", () => {
        const { windows, singleInstanceRequested, exitCodes } = globalThis.engramFakeElectron;
        console.error("fake electron: " + JSON.stringify({ windows: windows.length, singleInstanceRequested, exitCodes }));
      });
      await import("./main.mjs");\n`,
    );
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [launcher, "--mcp", "--data", dataDir],
      cwd: root,
      env: { ...getDefaultEnvironment(), ENGRAM_TEST_USER_DATA: join(dataDir, "..") },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk));
    const client = new Client({ name: "Claude Desktop", version: "1.0.0" });
    await client.connect(transport);
    t.after(() => client.close());
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), [
      "add_memory",
      "list_facts",
      "recent_memories",
      "remember_fact",
      "search_memory",
    ]);
    const added = await client.callTool({ name: "add_memory", arguments: { text: "The user runs on Tuesdays." } });
    assert.equal(added.isError, undefined, JSON.stringify(added) + stderr);
    const found = await client.callTool({ name: "search_memory", arguments: { query: "running Tuesdays" } });
    assert.match(JSON.stringify(found.content), /runs on Tuesdays/);
    await client.close();
    await waitUntil(() => stderr.includes("fake electron:"));
    assert.match(stderr, /fake electron: \{"windows":0,"singleInstanceRequested":false,"exitCodes":\[0\]\}/);
  });
});
