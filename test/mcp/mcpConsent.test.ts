/** Consent and the record of outside tools, through the contract with the real job queue running. */
import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Engine } from "../../core/engine.ts";
import { EngramError } from "../../core/errors.ts";
import { mcpClientLogFile } from "../../core/handlers/mcpHandlers.ts";
import { openTempEngine } from "../support/tempEngine.ts";

const claude = { name: "Claude Desktop", version: "0.9" };
const cursor = { name: "Cursor" };

const refusedWith = (code: string, pattern: RegExp) => (error: unknown) =>
  error instanceof EngramError && error.code === code && pattern.test(error.message);

describe("MCP consent", () => {
  test("is off by default; only off, read or write may be set", async (t) => {
    const { engine } = await openTempEngine(t, { runJobs: true });
    assert.equal((await engine.call("settings.get", {})).mcpAccess, "off");
    const wrong = await engine.dispatch("settings.update", { mcpAccess: "everything" });
    assert.equal(wrong.ok, false);
    assert.equal(!wrong.ok && wrong.error.code, "bad_input");
    assert.equal((await engine.call("settings.get", {})).mcpAccess, "off");
    await engine.call("settings.update", { mcpAccess: "read" });
    // Another setting changed later leaves the user's choice alone.
    await engine.call("settings.update", { promptBudgetTokens: 4000 });
    assert.equal((await engine.call("settings.get", {})).mcpAccess, "read");
  });

  test("refuses reads while off and writes while read-only, and writes nothing then", async (t) => {
    const { engine } = await openTempEngine(t, { runJobs: true });
    await assert.rejects(
      engine.call("mcp.authorize", { client: claude, tool: "search_memory", needs: "read" }),
      refusedWith("forbidden", /MCP access is off/),
    );
    await assert.rejects(
      engine.call("mcp.addMemory", { client: claude, text: "The user likes tea." }),
      refusedWith("forbidden", /off/),
    );
    await engine.call("settings.update", { mcpAccess: "read" });
    assert.deepEqual(await engine.call("mcp.authorize", { client: claude, tool: "search_memory", needs: "read" }), {
      access: "read",
    });
    await assert.rejects(
      engine.call("mcp.authorize", { client: claude, tool: "add_memory", needs: "write" }),
      refusedWith("forbidden", /read-only/),
    );
    await assert.rejects(
      engine.call("mcp.addMemory", { client: claude, text: "The user likes tea." }),
      refusedWith("forbidden", /read-only/),
    );
    assert.equal((await engine.call("stats.get", {})).episodes, 0);
    assert.equal((await engine.call("conversations.list", {})).conversations.length, 0);
  });

  test("counts every call of calls sent together, per client, in a file only the user can read", async (t) => {
    const { engine, dataDir } = await openTempEngine(t, { runJobs: true });
    await engine.call("settings.update", { mcpAccess: "read" });
    await Promise.all([
      ...Array.from({ length: 20 }, () =>
        engine.call("mcp.authorize", { client: claude, tool: "search_memory", needs: "read" }),
      ),
      ...Array.from({ length: 5 }, () =>
        engine.dispatch("mcp.authorize", { client: cursor, tool: "add_memory", needs: "write" }),
      ),
    ]);
    const { access, clients } = await engine.call("mcp.clients", {});
    assert.equal(access, "read");
    const byName = new Map(clients.map((use) => [use.name, use]));
    assert.equal(byName.get("Claude Desktop")?.calls, 20);
    assert.equal(byName.get("Claude Desktop")?.refused, 0);
    assert.equal(byName.get("Claude Desktop")?.version, "0.9");
    assert.equal(byName.get("Cursor")?.calls, 0);
    assert.equal(byName.get("Cursor")?.refused, 5);
    assert.equal(byName.get("Cursor")?.lastTool, "add_memory");
    if (process.platform !== "win32") {
      assert.equal((await stat(join(dataDir, mcpClientLogFile))).mode & 0o777, 0o600);
    }
  });

  test("notes sent together by two tools go into one conversation per tool, and survive a restart", async (t) => {
    const { engine, dataDir } = await openTempEngine(t, { runJobs: true });
    await engine.call("settings.update", { mcpAccess: "write" });
    const notes = (client: { name: string }) =>
      Array.from({ length: 6 }, (_, index) =>
        engine.call("mcp.addMemory", { client, text: `${client.name} note number ${index}` }),
      );
    const added = await Promise.all([...notes(claude), ...notes(cursor)]);
    assert.equal(new Set(added.map((result) => result.conversationId)).size, 2);
    const { conversations } = await engine.call("conversations.list", {});
    assert.deepEqual(conversations.map((conversation) => conversation.title).sort(), ["Claude Desktop", "Cursor"]);
    for (const conversation of conversations) {
      const { episodes } = await engine.call("episodes.list", { conversationId: conversation.id });
      assert.equal(episodes.length, 6);
      assert.ok(episodes.every((episode) => episode.speaker === conversation.title));
    }
    await engine.dispose();

    // Disposed here, before the folder that openTempEngine made is removed.
    const reopened = await Engine.open({ dataDir });
    try {
      const again = await reopened.call("mcp.addMemory", { client: claude, text: "One more note." });
      assert.equal(again.conversationId, added[0]!.conversationId);
      // A conversation the user deleted is made again for the next note, never written into a deleted one.
      await reopened.call("conversations.delete", { id: again.conversationId });
      const fresh = await reopened.call("mcp.addMemory", { client: claude, text: "After the delete." });
      assert.notEqual(fresh.conversationId, again.conversationId);
      const recent = await reopened.call("episodes.recent", { limit: 1 });
      assert.equal(recent.episodes[0]?.text, "After the delete.");
    } finally {
      await reopened.dispose();
    }
  });
});
