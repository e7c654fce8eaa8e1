/**
 * Engram's MCP server while `serve` holds the data folder: the MCP server reaches the memory through the server's
 * loopback contract (found by `<data>/server.json`), so both see the same memory, and consent is the server's.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { serverAdvertFile } from "../../core/mcp/serverAdvert.ts";
import { connectMcp, dataFolderWithAccess, root } from "./mcpHarness.ts";

/** Starts `tsx core/server/cli.ts --data DIR` and waits for its listening line. */
async function startServe(t: { after: (fn: () => Promise<void>) => void }, dataDir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "core/server/cli.ts", "--data", dataDir], { cwd: root });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  t.after(async () => {
    child.kill("SIGKILL");
    await exited;
  });
  const deadline = Date.now() + 60_000;
  while (!stdout.includes("\n") && Date.now() < deadline) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const match = /^Engram listening on (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)$/m.exec(stdout);
  assert.ok(match, `serve did not start: ${stdout} ${stderr}`);
  const [, origin, token] = match;
  const call = async (method: string, input: unknown = {}) => {
    const response = await fetch(`${origin}/api/${method}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(input),
    });
    const reply = (await response.json()) as { ok: boolean; data?: unknown; error?: { message: string } };
    if (!reply.ok) throw new Error(`${method}: ${reply.error?.message}`);
    return reply.data as Record<string, unknown>;
  };
  const stop = async () => {
    child.kill("SIGTERM");
    return exited;
  };
  return { call, stop, pid: child.pid!, stderr: () => stderr };
}

describe("MCP server while serve holds the data folder", () => {
  test("goes through the server: the same memory both ways, the server's consent, the advert cleaned up", async (t) => {
    const dataDir = await dataFolderWithAccess(t, null);
    const serve = await startServe(t, dataDir);

    const advert = await stat(join(dataDir, serverAdvertFile));
    if (process.platform !== "win32") assert.equal(advert.mode & 0o777, 0o600);

    const mcp = await connectMcp(t, dataDir, "Cursor");
    const off = await mcp.call("search_memory", { query: "anything" });
    assert.equal(off.isError, true);
    assert.match(off.text, /MCP access is off/);

    await serve.call("settings.update", { mcpAccess: "read" });
    const readOnly = await mcp.call("add_memory", { text: "The user drives a green Volvo." });
    assert.equal(readOnly.isError, true);
    assert.match(readOnly.text, /read-only/);

    await serve.call("settings.update", { mcpAccess: "write" });
    const added = await mcp.call("add_memory", { text: "The user drives a green Volvo." });
    assert.equal(added.isError, false, added.text);
    const { hits } = (await serve.call("memory.search", { query: "green Volvo" })) as {
      hits: { text: string; speaker: string }[];
    };
    assert.equal(hits[0]?.text, "The user drives a green Volvo.");
    assert.equal(hits[0]?.speaker, "Cursor");

    await serve.call("memory.ingest", {
      turns: [{ speaker: "user", text: "I am learning Portuguese with Duolingo." }],
    });
    const found = await mcp.call("search_memory", { query: "Portuguese Duolingo" });
    assert.equal(found.isError, false, found.text);
    assert.match(found.text, /learning Portuguese with Duolingo/);

    const fact = await mcp.call("remember_fact", {
      subject: "user",
      predicate: "drives",
      object: "a green Volvo",
      statement: "The user drives a green Volvo.",
    });
    assert.equal(fact.isError, false, fact.text);
    const { facts } = (await serve.call("facts.list", { entity: "user" })) as { facts: { statement: string }[] };
    assert.deepEqual(
      facts.map((known) => known.statement),
      ["The user drives a green Volvo."],
    );

    // The server's own record saw every call: the MCP server did not open the folder a second time.
    const { clients } = (await serve.call("mcp.clients")) as {
      clients: { name: string; calls: number; refused: number }[];
    };
    assert.deepEqual(
      clients.map(({ name, calls, refused }) => ({ name, calls, refused })),
      [{ name: "Cursor", calls: 3, refused: 2 }],
    );

    await serve.call("settings.update", { mcpAccess: "off" });
    const offAgain = await mcp.call("recent_memories", {});
    assert.equal(offAgain.isError, true);
    assert.match(offAgain.text, /MCP access is off/);

    await serve.call("settings.update", { mcpAccess: "read" });
    assert.equal(await serve.stop(), 0);
    await assert.rejects(stat(join(dataDir, serverAdvertFile)), /ENOENT/);

    // The server is gone: the MCP server, still connected, opens the folder itself and finds the same memory.
    const afterwards = await mcp.call("search_memory", { query: "green Volvo" });
    assert.equal(afterwards.isError, false, afterwards.text + mcp.stderr());
    assert.match(afterwards.text, /green Volvo/);
  });
});
