/**
 * Undoing a turn an outside tool added (MCP add_memory) takes what Engram learned only from it: the entity it alone
 * named is gone, one also named elsewhere loses that mention. Through the contract, jobs running.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { openTempEngine } from "../support/tempEngine.ts";

test("undoing an outside tool's note removes the entities only it named", async (t) => {
  const { engine } = await openTempEngine(t, { runJobs: true });
  await engine.call("settings.update", { mcpAccess: "write" });
  await engine.call("memory.ingest", { turns: [{ speaker: "user", text: "Marta Silva called me from Lisbon." }] });
  const note = await engine.call("mcp.addMemory", {
    client: { name: "Claude Desktop" },
    text: "Marta Silva starts at Siemens in Berlin next week.",
  });
  await engine.drainJobs();
  const named = async (name: string) =>
    (await engine.call("entities.list", { query: name })).entities.find((entity) => entity.name === name);
  assert.equal((await named("Marta Silva"))?.mentionCount, 2);
  assert.ok(await named("Berlin"), "the note's own entity was read");

  const [entry] = (await engine.call("memory.history", { targetId: note.episodeIds[0]! })).entries;
  await engine.call("memory.undo", { entryId: entry!.id });
  await engine.drainJobs();
  assert.equal(await named("Berlin"), undefined, "named only by the undone note: gone");
  assert.equal((await named("Marta Silva"))?.mentionCount, 1, "named elsewhere too: one mention left");
  const graph = await engine.call("graph.get", {});
  assert.ok(!graph.nodes.some((node) => node.label === "Berlin"));
});
