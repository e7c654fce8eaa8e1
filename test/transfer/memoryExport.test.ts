import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Engine } from "../../core/engine.ts";
import { episodesOf, type EpisodeJob } from "../../core/jobs/episodeJob.ts";
import { Database } from "../../core/store/database.ts";
import { EpisodeStore } from "../../core/store/episodeStore.ts";
import { VectorMemory } from "../../core/memory/vectorMemory.ts";
import type { JobRow } from "../../core/store/schema.ts";
import { HashingEmbedder, ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { chatGptExport, markdownTranscript } from "./exportFixtures.ts";

/** A memory with something of every kind: imports, an ingest, an archived and a pinned turn, summaries, a fact. */
async function fillMemory(engine: Engine) {
  await engine.call("conversations.import", { source: "chatgpt", content: JSON.stringify(chatGptExport()) });
  const { conversationId, episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "Ana", text: "I started pottery classes at the studio on Rua Augusta.", at: "2024-08-01T10:00:00Z" },
      { speaker: "Ben", text: "My locker code at the gym is 4512.", at: "2024-08-01T10:01:00Z" },
      { speaker: "Ana", text: "The kiln fires on Thursdays.", at: "2024-08-01T10:02:00Z" },
    ],
  });
  await engine.call("episodes.forget", { ids: [episodeIds[1]!] });
  await engine.call("episodes.pin", { id: episodeIds[0]!, pinned: true });
  await engine.call("summaries.update", { text: "The user is a translator who moved to Porto." });
  await engine.call("summaries.update", { conversationId, text: "Ana talks about pottery." });
  await engine.call("facts.create", {
    subject: "Ana",
    predicate: "takes classes in",
    object: "pottery",
    statement: "Ana takes pottery classes.",
  });
  await engine.call("settings.update", {
    promptBudgetTokens: 4000,
    openAiEndpoint: { baseUrl: "http://127.0.0.1:11434/v1", model: "llama3", apiKey: "sk-secret-4242" },
  });
  await engine.drainJobs();
}

/** An export as data, without the moment it was made. */
async function exported(engine: Engine) {
  const { content } = await engine.call("memory.export", { format: "json" });
  const document = JSON.parse(content) as { exportedAt?: string; tables: Record<string, unknown[]> };
  delete document.exportedAt;
  return { content, document };
}

test("export, import into an empty folder, export again: the same memory, without the API key", async (t) => {
  const { engine: source } = await openTempEngine(t);
  await fillMemory(source);
  const first = await exported(source);
  assert.ok(!first.content.includes("sk-secret-4242"), "the API key is never exported");
  const tables = first.document.tables;
  assert.equal(tables.conversations!.length, 3);
  assert.equal(tables.episodes_archive!.length, 1, "archived turns are exported");
  assert.ok(tables.facts!.length >= 1 && tables.entities!.length >= 1, "facts and entities are exported");
  assert.ok(tables.memory_history!.length > 0 && tables.imports!.length === 2);

  const { engine: target } = await openTempEngine(t);
  const result = await target.call("memory.import", { content: first.content });
  assert.equal(result.rows.conversations, 3);
  assert.deepEqual((await exported(target)).document, first.document, "the second export equals the first");

  // Everything is found again, the archived turn restorable, the fact listed.
  const { hits } = await target.call("memory.search", { query: "What is my sourdough starter called?" });
  assert.match(hits[0]!.text, /Gerald/);
  const facts = await target.call("facts.list", { entity: "Ana" });
  assert.deepEqual(
    facts.facts.map((fact) => fact.statement),
    ["Ana takes pottery classes."],
  );
  const settings = await target.call("settings.get", {});
  assert.equal(settings.promptBudgetTokens, 4000);
  assert.equal(settings.openAiEndpoint?.apiKey, undefined);

  // Into a folder that has it already (and twice at once): merged by id, nothing doubled.
  const before = await target.call("stats.get", {});
  await Promise.all([
    target.call("memory.import", { content: first.content }),
    target.call("memory.import", { content: first.content }),
  ]);
  const after = await target.call("stats.get", {});
  assert.deepEqual(
    [after.conversations, after.messages, after.episodes, after.archivedEpisodes, after.summaries],
    [before.conversations, before.messages, before.episodes, before.archivedEpisodes, before.summaries],
  );
  assert.deepEqual((await exported(target)).document, first.document);
});

test("imported turns are embedded in the background, each job within one conversation", async (t) => {
  const { engine: source } = await openTempEngine(t);
  await fillMemory(source);
  const { content } = await exported(source);
  const hot = new Map(
    (JSON.parse(content) as { tables: { episodes: { id: string; conversationId: string }[] } }).tables.episodes.map(
      (row) => [row.id, row.conversationId],
    ),
  );

  const { engine: target, dataDir } = await openTempEngine(t);
  await target.call("memory.import", { content });
  await target.dispose();
  const db = await Database.open({ directory: join(dataDir, "db") });
  const jobs = ((await (await db.table<JobRow>("jobs")).table.query().toArray()) as JobRow[]).filter(
    (job) => job.kind === "embed",
  );
  const store = await EpisodeStore.open(db);
  const named: string[] = [];
  for (const job of jobs) {
    const payload = JSON.parse(job.payload) as EpisodeJob;
    for (const episode of await episodesOf(store, payload)) {
      assert.equal(episode.conversationId, payload.conversationId, "a job names turns of its own conversation");
      named.push(episode.id);
    }
  }
  await db.dispose();
  assert.ok(new Set(jobs.map((job) => JSON.parse(job.payload).conversationId)).size >= 2, "one job per conversation");
  assert.deepEqual(named.sort(), [...hot.keys()].sort(), "every imported hot turn is to be embedded, once");

  // Once they ran, every imported hot turn has its vector.
  const embedder = new HashingEmbedder();
  const { engine } = await openTempEngine(t, { dataDir, models: new ScriptedModelService(null, embedder) });
  await engine.drainJobs();
  await engine.dispose();
  const reopened = await Database.open({ directory: join(dataDir, "db") });
  const embedded = await new VectorMemory(reopened).embeddedIds(embedder.id);
  await reopened.dispose();
  assert.deepEqual([...embedded].sort(), [...hot.keys()].sort());
});

test("an import merges with the memory a folder already has, and never doubles a conversation imported in both", async (t) => {
  const { engine: source } = await openTempEngine(t);
  await fillMemory(source);
  const { content } = await exported(source);

  const { engine: target } = await openTempEngine(t);
  // This folder imported the same ChatGPT file itself (its conversations have other ids here) and has its own chat.
  await target.call("conversations.import", { source: "chatgpt", content: JSON.stringify(chatGptExport()) });
  await target.call("conversations.import", { source: "markdown", content: markdownTranscript });
  const result = await target.call("memory.import", { content });
  assert.equal(result.skippedConversations, 2, "the two ChatGPT conversations are already here");
  const { conversations } = await target.call("conversations.list", {});
  const titles = conversations.map((conversation) => conversation.title.replace(/^Imported .*/, "Imported")).sort();
  assert.deepEqual(titles, ["A script", "Imported", "Moving house", "Planning the garden", "Sourdough"]);
  const { hits } = await target.call("memory.search", { query: "pottery kiln Thursdays" });
  assert.match(hits[0]!.text, /kiln/);
  // Importing the ChatGPT file again still finds it imported.
  const again = await target.call("conversations.import", {
    source: "chatgpt",
    content: JSON.stringify(chatGptExport()),
  });
  assert.deepEqual([again.conversations, again.skipped], [0, 2]);
});

test("a malformed, truncated or foreign file is refused by memory.import and changes nothing", async (t) => {
  const { engine: source } = await openTempEngine(t);
  await fillMemory(source);
  const { content } = await exported(source);
  const document = JSON.parse(content) as Record<string, unknown>;
  const { engine: target } = await openTempEngine(t);
  await target.call("conversations.import", { source: "markdown", content: markdownTranscript });
  const before = await exported(target);

  const missingColumn = structuredClone(document) as { tables: { episodes: Record<string, unknown>[] } };
  delete missingColumn.tables.episodes[0]!.seq;
  const orphan = structuredClone(document) as { tables: { messages: Record<string, unknown>[] } };
  orphan.tables.messages[0]!.conversationId = "conv_nowhere";
  const doubled = structuredClone(document) as { tables: { episodes: unknown[] } };
  doubled.tables.episodes.push(doubled.tables.episodes[0]);
  const newer = { ...document, schemaVersion: 999 };
  const cases: [string, string, RegExp][] = [
    ["truncated", content.slice(0, Math.floor(content.length / 2)), /cut short/],
    ["a ChatGPT export", JSON.stringify(chatGptExport()), /conversations\.import/],
    ["another JSON document", JSON.stringify({ hello: "world" }), /not an Engram export/],
    ["a row missing a column", JSON.stringify(missingColumn), /tables\.episodes\.0\.seq/],
    ["a message of no conversation", JSON.stringify(orphan), /conv_nowhere/],
    ["an id twice", JSON.stringify(doubled), /twice/],
    ["from a newer Engram", JSON.stringify(newer), /newer Engram/],
  ];
  for (const [name, text, message] of cases) {
    const answer = await target.dispatch("memory.import", { content: text });
    assert.equal(answer.ok, false, name);
    if (answer.ok) continue;
    assert.equal(answer.error.code, "bad_input", name);
    assert.match(answer.error.message, message, name);
  }
  assert.deepEqual((await exported(target)).document, before.document, "nothing changed");
});

test("the Markdown export groups facts by entity with dates and sources, then lists conversations", async (t) => {
  const { engine } = await openTempEngine(t);
  await fillMemory(engine);
  const { content } = await engine.call("memory.export", { format: "markdown" });
  assert.match(content, /^# Engram memory/);
  assert.match(content, /## About you\n\nThe user is a translator who moved to Porto\./);
  assert.match(content, /### Ana \(person\)\n\n- Ana takes pottery classes\. Since \d{4}-\d{2}-\d{2}; told by you\./);
  assert.match(content, /### Moving house\n\n2024-03-01 to 2024-03-01 · 4 turns · imported from ChatGPT/);
  assert.match(content, /3 turns \(1 archived\)/);
  assert.ok(!content.includes("sk-secret-4242"));
});
