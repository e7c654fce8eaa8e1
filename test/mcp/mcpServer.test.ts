/**
 * Engram's MCP server as an outside AI tool sees it: the SDK's own client over stdio, against a temporary data folder
 * that no other Engram holds (so the MCP server opens it itself).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { maxMcpMemoryChars, methods } from "../../core/api/index.ts";
import { Engine } from "../../core/engine.ts";
import { connectMcp, dataFolderWithAccess } from "./mcpHarness.ts";

/** Opens the folder after the MCP server let go of it, to see what it left. */
async function inspect<T>(dataDir: string, look: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open({ dataDir, runJobs: false });
  try {
    return await look(engine);
  } finally {
    await engine.dispose();
  }
}

describe("MCP server on a data folder of its own", () => {
  test("lists its tools, with input schemas taken from the contract", async (t) => {
    const mcp = await connectMcp(t, await dataFolderWithAccess(t, null));
    const { tools } = await mcp.client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    assert.deepEqual([...byName.keys()].sort(), [
      "add_memory",
      "list_facts",
      "recent_memories",
      "remember_fact",
      "search_memory",
    ]);

    const search = byName.get("search_memory")!;
    const query = search.inputSchema.properties?.query as { type: string; maxLength: number; description: string };
    assert.equal(query.type, "string");
    assert.equal(query.maxLength, methods["memory.search"].input.shape.query.maxLength);
    assert.ok(query.description.length > 10);
    assert.deepEqual(search.inputSchema.required, ["query"]);
    assert.equal(search.annotations?.readOnlyHint, true);

    const add = byName.get("add_memory")!;
    assert.equal((add.inputSchema.properties?.text as { maxLength: number }).maxLength, maxMcpMemoryChars);
    assert.deepEqual(add.inputSchema.required, ["text"]);
    assert.equal(add.annotations?.readOnlyHint, false);
    assert.match(add.description ?? "", /remember/i);

    const recent = byName.get("recent_memories")!;
    assert.equal(recent.inputSchema.required, undefined);
    assert.equal((recent.inputSchema.properties?.limit as { maximum: number }).maximum, 200);

    const remember = byName.get("remember_fact")!;
    assert.deepEqual(remember.inputSchema.required, ["subject", "predicate", "object", "statement"]);
    const subject = remember.inputSchema.properties?.subject as { maxLength: number };
    assert.equal(subject.maxLength, methods["facts.create"].input.shape.subject.maxLength);
    assert.match(remember.description ?? "", /supersede/);
    assert.equal(byName.get("list_facts")!.inputSchema.required, undefined);
  });

  test("while access is off (the default), every tool is refused with a clear message and nothing is written", async (t) => {
    const dataDir = await dataFolderWithAccess(t, null);
    const mcp = await connectMcp(t, dataDir, "Curious Tool");
    const replies = await Promise.all([
      mcp.call("search_memory", { query: "anything" }),
      mcp.call("recent_memories", {}),
      mcp.call("add_memory", { text: "The user likes tea." }),
      mcp.call("list_facts", {}),
      mcp.call("remember_fact", {
        subject: "user",
        predicate: "likes",
        object: "tea",
        statement: "The user likes tea.",
      }),
    ]);
    for (const reply of replies) {
      assert.equal(reply.isError, true, reply.text);
      assert.match(reply.text, /MCP access is off/);
      assert.match(reply.text, /Settings/);
    }
    await mcp.close();
    await inspect(dataDir, async (engine) => {
      assert.equal((await engine.call("stats.get", {})).episodes, 0);
      assert.equal((await engine.call("conversations.list", {})).conversations.length, 0);
      const { access, clients } = await engine.call("mcp.clients", {});
      assert.equal(access, "off");
      assert.equal(clients.length, 1);
      assert.equal(clients[0]!.name, "Curious Tool");
      assert.equal(clients[0]!.calls, 0);
      assert.equal(clients[0]!.refused, 5);
      assert.equal((await engine.call("facts.list", {})).total, 0);
    });
  });

  test("read-only access answers searches and refuses writes", async (t) => {
    const dataDir = await dataFolderWithAccess(t, "read");
    await inspect(dataDir, (engine) =>
      engine.call("memory.ingest", { turns: [{ speaker: "user", text: "My sister Ines lives in Coimbra." }] }),
    );
    const mcp = await connectMcp(t, dataDir, "Reader");
    const found = await mcp.call("search_memory", { query: "Ines Coimbra" });
    assert.equal(found.isError, false, found.text);
    assert.match(found.text, /Ines lives in Coimbra/);
    const refused = await mcp.call("add_memory", { text: "The user moved to Lisbon." });
    assert.equal(refused.isError, true);
    assert.match(refused.text, /read-only/);
    const fact = await mcp.call("remember_fact", {
      subject: "Ines",
      predicate: "lives in",
      object: "Lisbon",
      statement: "Ines lives in Lisbon.",
    });
    assert.equal(fact.isError, true);
    assert.match(fact.text, /read-only/);
    await mcp.close();
    await inspect(dataDir, async (engine) => {
      assert.equal((await engine.call("stats.get", {})).episodes, 1);
      const [reader] = (await engine.call("mcp.clients", {})).clients;
      assert.equal(reader!.calls, 1);
      assert.equal(reader!.refused, 2);
      assert.equal((await engine.call("facts.list", {})).total, 0);
    });
  });

  test("with write access a memory added is found again, shown as coming from the tool", async (t) => {
    const dataDir = await dataFolderWithAccess(t, "write");
    const mcp = await connectMcp(t, dataDir, "Claude Desktop");
    const notes = [
      "The user's favourite climbing spot is Sintra.",
      "The user is allergic to walnuts.",
      "The user plays the cello on Sundays.",
      "The user's manager is called Teodora.",
      "The user wants to visit Kyoto in April.",
    ];
    // Sent together: one conversation for the tool, every note kept.
    const added = await Promise.all(notes.map((text) => mcp.call("add_memory", { text })));
    for (const reply of added) assert.equal(reply.isError, false, reply.text);
    const withAbout = await mcp.call("add_memory", { text: "She starts school in September.", about: "Ana" });
    assert.equal(withAbout.isError, false, withAbout.text);

    const found = await mcp.call("search_memory", { query: "walnuts allergy" });
    assert.equal(found.isError, false, found.text);
    const [best] = (found.structured as { hits: { id: string; text: string; at: string; speaker: string }[] }).hits;
    assert.equal(best!.text, notes[1]);
    assert.ok(best!.at);
    assert.match(
      found.text,
      new RegExp(
        `\\[episode ${best!.id}\\] \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, Claude Desktop in "Claude Desktop"`,
      ),
    );
    const about = await mcp.call("search_memory", { query: "Ana school" });
    assert.match(about.text, /She starts school in September\. \(about Ana\)/);

    const recent = await mcp.call("recent_memories", { limit: 3 });
    assert.equal(recent.isError, false, recent.text);
    assert.equal((recent.structured as { episodes: unknown[] }).episodes.length, 3);
    assert.match(recent.text, /\(about Ana\)/);
    const none = await mcp.call("recent_memories", { since: "2999-01-01" });
    assert.match(none.text, /nothing from 2999-01-01/);

    await mcp.close();
    await inspect(dataDir, async (engine) => {
      const { conversations } = await engine.call("conversations.list", {});
      assert.deepEqual(
        conversations.map((conversation) => conversation.title),
        ["Claude Desktop"],
      );
      const { episodes } = await engine.call("episodes.list", { conversationId: conversations[0]!.id });
      assert.equal(episodes.length, notes.length + 1);
      assert.ok(episodes.every((episode) => episode.speaker === "Claude Desktop"));
      assert.deepEqual(
        new Set(episodes.map((episode) => episode.text)),
        new Set([...notes, "She starts school in September. (about Ana)"]),
      );
      const [client] = (await engine.call("mcp.clients", {})).clients;
      assert.equal(client!.calls, notes.length + 5);
      assert.equal(client!.lastTool, "recent_memories");
      assert.equal(client!.conversationId, conversations[0]!.id);
    });
  });

  test("a fact, then a contradicting one that supersedes it; both listed, each change logged with the tool and undoable", async (t) => {
    const dataDir = await dataFolderWithAccess(t, "write");
    const mcp = await connectMcp(t, dataDir, "Claude Desktop");
    const first = await mcp.call("remember_fact", {
      subject: "Ana",
      predicate: "lives in",
      object: "Lisbon",
      statement: "Ana lives in Lisbon.",
    });
    assert.equal(first.isError, false, first.text);
    const lisbon = first.structured as { id: string; outcome: string };
    assert.equal(lisbon.outcome, "add");
    const second = await mcp.call("remember_fact", {
      subject: "Ana",
      predicate: "lives in",
      object: "Porto",
      statement: "Ana moved to Porto.",
    });
    const porto = second.structured as { id: string; outcome: string };
    assert.equal(porto.outcome, "supersede");
    assert.match(second.text, new RegExp(`replaces fact ${lisbon.id} \\("Ana lives in Lisbon\\."\\)`));
    const again = await mcp.call("remember_fact", {
      subject: "Ana",
      predicate: "lives in",
      object: "Porto",
      statement: "Ana moved to Porto.",
    });
    assert.equal((again.structured as { outcome: string }).outcome, "noop");

    const listed = await mcp.call("list_facts", { entity: "Ana" });
    assert.equal(listed.isError, false, listed.text);
    const { facts } = listed.structured as { facts: { id: string; status: string; supersededBy: string | null }[] };
    assert.deepEqual(
      facts.map(({ id, status }) => ({ id, status })).sort((a, b) => a.status.localeCompare(b.status)),
      [
        { id: porto.id, status: "active" },
        { id: lisbon.id, status: "superseded" },
      ],
    );
    assert.match(listed.text, new RegExp(`\\[fact ${porto.id}\\] current since .*"Ana moved to Porto\\."`));
    assert.match(listed.text, new RegExp(`\\[fact ${lisbon.id}\\] superseded on .* by fact ${porto.id}`));
    const found = await mcp.call("search_memory", { query: "where does Ana live" });
    assert.match(
      found.text,
      new RegExp(
        `\\[fact ${porto.id}\\] current since [\\d: -]+UTC: "Ana moved to Porto\\." \\(Ana · lives in · Porto; told directly\\)`,
      ),
    );
    const note = await mcp.call("add_memory", { text: "Ana's new flat is near the river." });
    const [noteId] = (note.structured as { episodeIds: string[] }).episodeIds;
    await mcp.close();

    await inspect(dataDir, async (engine) => {
      const history = await engine.call("memory.history", { targetId: porto.id });
      assert.ok(history.entries.length >= 1);
      assert.ok(
        history.entries.every((entry) => entry.actor === "mcp:Claude Desktop"),
        JSON.stringify(history),
      );
      const supersession = (await engine.call("memory.history", { targetId: lisbon.id })).entries;
      assert.ok(supersession.some((entry) => entry.actor === "mcp:Claude Desktop" && entry.after !== null));
      // Undo the supersession: Lisbon is current again, Porto gone.
      const latest = history.entries.find((entry) => entry.undoable)!;
      await engine.call("memory.undo", { entryId: latest.id });
      const after = await engine.call("facts.list", { entity: "Ana" });
      assert.deepEqual(
        after.facts.map(({ id, status }) => ({ id, status })),
        [{ id: lisbon.id, status: "active" }],
      );

      const noteHistory = await engine.call("memory.history", { targetId: noteId! });
      assert.equal(noteHistory.entries.length, 1);
      const [ingest] = noteHistory.entries;
      assert.equal(ingest!.actor, "mcp:Claude Desktop");
      assert.equal(ingest!.action, "ingest");
      assert.equal(ingest!.undoable, true);
      assert.deepEqual((ingest!.after as { text: string }).text, "Ana's new flat is near the river.");
      // Two undos sent together: the turn is removed once, the second is refused as no longer applying.
      const undos = await Promise.all([
        engine.dispatch("memory.undo", { entryId: ingest!.id }),
        engine.dispatch("memory.undo", { entryId: ingest!.id }),
      ]);
      assert.deepEqual(undos.map((result) => (result.ok ? "ok" : result.error.code)).sort(), ["conflict", "ok"]);
      const { hits } = await engine.call("memory.search", { query: "flat near the river" });
      assert.ok(!hits.some((hit) => hit.id === noteId), JSON.stringify(hits));
      assert.equal((await engine.call("stats.get", {})).episodes, 0);
      const undone = (await engine.call("memory.history", { targetId: noteId! })).entries;
      assert.deepEqual(
        undone.map(({ action, actor, undoable }) => ({ action, actor, undoable })),
        [
          { action: "ingest", actor: "mcp:Claude Desktop", undoable: false },
          { action: "undo", actor: "user", undoable: false },
        ],
      );
    });
  });

  test("bad input gets an error result and writes nothing", async (t) => {
    const dataDir = await dataFolderWithAccess(t, "write");
    const mcp = await connectMcp(t, dataDir, "Sloppy Tool");
    const bad: [string, Record<string, unknown>][] = [
      ["add_memory", { text: "" }],
      ["add_memory", { text: "   " }],
      ["add_memory", { text: 42 }],
      ["add_memory", { text: "x".repeat(maxMcpMemoryChars + 1) }],
      ["add_memory", { text: "ok", about: "" }],
      ["search_memory", { query: "" }],
      ["search_memory", { query: "tea", limit: 0 }],
      ["recent_memories", { since: "last tuesday" }],
      ["recent_memories", { limit: 1.5 }],
      ["remember_fact", { subject: "Ana", predicate: "lives in", object: "Porto" }],
      ["remember_fact", { subject: " ", predicate: "lives in", object: "Porto", statement: "Ana lives in Porto." }],
      ["list_facts", { entity: "" }],
    ];
    const replies = await Promise.all(bad.map(([name, args]) => mcp.call(name, args)));
    replies.forEach((reply, index) => {
      assert.equal(reply.isError, true, `${JSON.stringify(bad[index])}: ${reply.text}`);
      assert.match(reply.text, /Invalid arguments|expected|Too (small|big)/, reply.text);
    });
    await mcp.close();
    await inspect(dataDir, async (engine) => {
      assert.equal((await engine.call("stats.get", {})).episodes, 0);
      assert.equal((await engine.call("conversations.list", {})).conversations.length, 0);
      assert.equal((await engine.call("facts.list", {})).total, 0);
    });
  });
});
