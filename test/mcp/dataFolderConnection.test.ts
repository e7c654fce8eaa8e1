import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, test } from "node:test";
import { DataFolderConnection } from "../../core/mcp/dataFolderConnection.ts";
import { writeServerAdvert } from "../../core/mcp/serverAdvert.ts";
import { Engine } from "../../core/engine.ts";
import { dataFolderWithAccess } from "./mcpHarness.ts";

/** A loopback port that nothing listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 30_000) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("DataFolderConnection", () => {
  test("an advert whose server is gone is passed over: the folder is opened here, and let go when idle", async (t) => {
    const dataDir = await dataFolderWithAccess(t, "read");
    // A live pid (this process) with a port nobody answers on: what a crash leaves when the pid is reused.
    await writeServerAdvert(dataDir, {
      url: `http://127.0.0.1:${await closedPort()}`,
      token: "t".repeat(43),
      pid: process.pid,
    });
    const connection = new DataFolderConnection({ dataDir, idleMs: 50 });
    t.after(() => connection.dispose());
    const settings = await connection.dispatch("settings.get", {});
    assert.equal(settings.ok, true, JSON.stringify(settings));
    assert.equal(settings.ok && (settings.data as { mcpAccess: string }).mcpAccess, "read");
    assert.equal(connection.holdsFolder, true);
    // Idle: the folder is let go, so the app or serve can open it.
    await until(() => !connection.holdsFolder);
    const engine = await Engine.open({ dataDir, runJobs: false });
    await engine.dispose();
    // A later call opens it again.
    const again = await connection.dispatch("stats.get", {});
    assert.equal(again.ok, true);
  });

  test("calls sent together while the folder is closed open it once; dispose lets the calls finish first", async (t) => {
    const dataDir = await dataFolderWithAccess(t, "write");
    let opened = 0;
    const connection = new DataFolderConnection({
      dataDir,
      openEngine: async (folder) => {
        opened += 1;
        return Engine.open({ dataDir: folder });
      },
    });
    const client = { name: "Batch" };
    const calls = Array.from({ length: 8 }, (_, index) =>
      connection.dispatch("mcp.addMemory", { client, text: `Note ${index}` }),
    );
    const disposed = connection.dispose();
    const results = await Promise.all(calls);
    await disposed;
    assert.equal(opened, 1);
    assert.ok(
      results.every((result) => result.ok),
      JSON.stringify(results),
    );
    const refused = await connection.dispatch("stats.get", {});
    assert.equal(!refused.ok && refused.error.code, "cancelled");
    const engine = await Engine.open({ dataDir, runJobs: false });
    try {
      assert.equal((await engine.call("stats.get", {})).episodes, 8);
    } finally {
      await engine.dispose();
    }
  });
});
