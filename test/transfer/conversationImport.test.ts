import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "../../core/engine.ts";
import { openTempEngine } from "../support/tempEngine.ts";
import { chatGptExport, claudeExport, jsonlTurns, markdownTranscript } from "./exportFixtures.ts";

/** What a user would see of memory: counts, and every conversation's transcript. */
async function snapshot(engine: Engine) {
  const stats = await engine.call("stats.get", {});
  const { conversations } = await engine.call("conversations.list", {});
  const transcripts = await Promise.all(
    conversations.map(async (conversation) => ({
      title: conversation.title,
      messages: (await engine.call("messages.list", { conversationId: conversation.id })).messages.map(
        (message) => `${message.role}@${message.createdAt}: ${message.content}`,
      ),
    })),
  );
  return {
    conversations: stats.conversations,
    messages: stats.messages,
    episodes: stats.episodes + stats.archivedEpisodes,
    transcripts: transcripts.sort((a, b) => a.title.localeCompare(b.title)),
  };
}

test("a ChatGPT export is imported with titles, times and the current branch, readable and searchable", async (t) => {
  const { engine } = await openTempEngine(t);
  const result = await engine.call("conversations.import", {
    source: "chatgpt",
    content: JSON.stringify(chatGptExport()),
  });
  assert.equal(result.conversations, 2);
  assert.equal(result.turns, 6, "system, hidden, tool and abandoned-branch messages are not turns");
  assert.equal(result.conversationIds.length, 2);

  const { conversations } = await engine.call("conversations.list", {});
  const moving = conversations.find((conversation) => conversation.title === "Moving house")!;
  assert.ok(moving, "the title is kept");
  assert.equal(moving.createdAt, "2024-03-01T09:00:00.000Z");
  assert.equal(moving.updatedAt, "2024-03-01T09:10:00.000Z");

  const { messages } = await engine.call("messages.list", { conversationId: moving.id });
  assert.deepEqual(
    messages.map((message) => [message.role, message.content, message.createdAt]),
    [
      ["user", "I just moved to Porto with my cat Miso.", "2024-03-01T09:01:00.000Z"],
      ["assistant", "Congratulations on the move to Porto! How is Miso settling in?", "2024-03-01T09:01:30.000Z"],
      ["user", "Miso hides under the sofa all day.", "2024-03-01T09:05:00.000Z"],
      ["assistant", "Give her a quiet room and time; cats often need a week or two.", "2024-03-01T09:05:20.000Z"],
    ],
  );
  const episodes = await engine.call("episodes.list", { conversationId: moving.id });
  assert.deepEqual(
    episodes.episodes.map((episode) => episode.speaker),
    ["user", "assistant", "user", "assistant"],
  );

  const { hits } = await engine.call("memory.search", { query: "What is my sourdough starter called?" });
  assert.match(hits[0]!.text, /Gerald/);
  assert.equal(
    (await engine.call("memory.search", { query: "zzqx" })).hits.length,
    0,
    "the abandoned branch is not kept",
  );
  const stats = await engine.call("stats.get", {});
  assert.ok(stats.pendingJobs > 0, "imported turns get the background jobs any ingest gets");
});

test("a Claude export is imported and searchable", async (t) => {
  const { engine } = await openTempEngine(t);
  const result = await engine.call("conversations.import", {
    source: "claude",
    content: JSON.stringify(claudeExport()),
  });
  assert.deepEqual([result.conversations, result.turns], [2, 4]);
  const { conversations } = await engine.call("conversations.list", {});
  const marathon = conversations.find((conversation) => conversation.title === "Marathon training")!;
  assert.equal(marathon.createdAt, "2024-05-10T07:00:00.123Z");
  const { messages } = await engine.call("messages.list", { conversationId: marathon.id });
  assert.deepEqual(
    messages.map((message) => [message.role, message.content]),
    [
      ["user", "I am training for the Berlin marathon in September."],
      ["assistant", "Great goal! Build up to 32 km long runs by August."],
    ],
  );
  const untitled = conversations.find((conversation) => conversation.id !== marathon.id)!;
  assert.equal(
    untitled.title,
    "My knee hurts after long runs, around the kneecap.",
    "no name: titled by its first turn",
  );
  const { hits } = await engine.call("memory.search", { query: "knee pain physiotherapist" });
  assert.match(hits[0]!.text, /knee/);
});

test("a Markdown transcript is imported with named speakers, times and code blocks intact", async (t) => {
  const { engine } = await openTempEngine(t);
  const result = await engine.call("conversations.import", { source: "markdown", content: markdownTranscript });
  assert.deepEqual([result.conversations, result.turns], [2, 6]);
  const { conversations } = await engine.call("conversations.list", {});
  const garden = conversations.find((conversation) => conversation.title === "Planning the garden")!;
  const script = conversations.find((conversation) => conversation.title === "A script")!;
  assert.ok(garden && script);
  const gardenEpisodes = (await engine.call("episodes.list", { conversationId: garden.id })).episodes;
  assert.deepEqual(
    gardenEpisodes.map((episode) => [episode.speaker, episode.text]),
    [
      ["Caroline", "I want raised beds for tomatoes this year."],
      ["Melanie", "Cedar lasts longest. Note: it costs more up front."],
      ["Caroline", "Fine, cedar it is."],
    ],
  );
  const gardenMessages = (await engine.call("messages.list", { conversationId: garden.id })).messages;
  assert.deepEqual(
    gardenMessages.map((message) => message.role),
    ["user", "assistant", "user"],
    "named speakers: the first to speak is shown as the user",
  );
  assert.equal(gardenMessages[1]!.createdAt, "2024-02-11T10:02:00.000Z");
  const scriptMessages = (await engine.call("messages.list", { conversationId: script.id })).messages;
  assert.equal(scriptMessages.length, 3);
  assert.match(scriptMessages[1]!.content, /User: this line is code, not a speaker/);
  const { hits } = await engine.call("memory.search", { query: "raised beds tomatoes" });
  assert.equal(hits[0]!.speaker, "Caroline");
});

test("JSONL turns are imported as one conversation, searchable", async (t) => {
  const { engine } = await openTempEngine(t);
  const result = await engine.call("conversations.import", { source: "jsonl", content: jsonlTurns });
  assert.deepEqual([result.conversations, result.turns], [1, 3]);
  const [conversation] = (await engine.call("conversations.list", {})).conversations;
  assert.equal(conversation!.createdAt, "2024-07-02T08:00:00.000Z");
  const { hits } = await engine.call("memory.search", { query: "bike frame number" });
  assert.match(hits[0]!.text, /WTU123456/);
});

test("importing the same file again, or twice at once, imports it once", async (t) => {
  const { engine } = await openTempEngine(t);
  const content = JSON.stringify(chatGptExport());
  const [first, second] = await Promise.all([
    engine.call("conversations.import", { source: "chatgpt", content }),
    engine.call("conversations.import", { source: "chatgpt", content }),
  ]);
  assert.deepEqual(
    [first.conversations + second.conversations, first.skipped + second.skipped],
    [2, 2],
    "one call imported both conversations, the other skipped them",
  );
  const before = await snapshot(engine);
  const again = await engine.call("conversations.import", { source: "chatgpt", content });
  assert.deepEqual([again.conversations, again.turns, again.skipped], [0, 0, 2]);
  assert.deepEqual(await snapshot(engine), before);

  // Sources without ids are keyed by their turns: the same transcript twice is one conversation.
  await Promise.all([
    engine.call("conversations.import", { source: "markdown", content: markdownTranscript }),
    engine.call("conversations.import", { source: "markdown", content: markdownTranscript }),
    engine.call("conversations.import", { source: "jsonl", content: jsonlTurns }),
    engine.call("conversations.import", { source: "jsonl", content: `${jsonlTurns}\n\n` }),
  ]);
  assert.equal((await engine.call("stats.get", {})).conversations, 5);
});

test("a malformed, truncated or wrong file is refused whole with a clear message, and nothing is written", async (t) => {
  const { engine } = await openTempEngine(t);
  const chatgpt = JSON.stringify(chatGptExport());
  const broken = chatGptExport();
  (broken[1] as { mapping: unknown }).mapping = "not a tree";
  const cases: [string, "chatgpt" | "claude" | "markdown" | "jsonl", string, RegExp][] = [
    ["truncated", "chatgpt", chatgpt.slice(0, Math.floor(chatgpt.length * 0.7)), /cut short/],
    ["second conversation malformed", "chatgpt", JSON.stringify(broken), /conversation 2: mapping/],
    ["Claude file as ChatGPT", "chatgpt", JSON.stringify(claudeExport()), /looks like a Claude export/],
    ["ChatGPT file as Claude", "claude", chatgpt, /looks like a ChatGPT export/],
    ["not a list", "claude", JSON.stringify({ conversations: [] }), /not a JSON array/],
    ["not JSON", "chatgpt", "User: hello", /not complete JSON/],
    ["JSONL with a bad line", "jsonl", `${jsonlTurns}\n{"speaker": "user"}`, /Line 4 .*text/],
    ["JSONL cut short", "jsonl", jsonlTurns.slice(0, -5), /Line 3 .*not JSON/],
    ["JSON as Markdown", "markdown", chatgpt, /not a chat transcript/],
  ];
  for (const [name, source, content, message] of cases) {
    const result = await engine.dispatch("conversations.import", { source, content });
    assert.equal(result.ok, false, name);
    if (result.ok) continue;
    assert.equal(result.error.code, "bad_input", name);
    assert.match(result.error.message, message, name);
  }
  const bad = await engine.dispatch("conversations.import", { source: "gemini", content: "x" });
  assert.equal(!bad.ok && bad.error.code, "bad_input");
  const stats = await engine.call("stats.get", {});
  assert.deepEqual([stats.conversations, stats.messages, stats.episodes, stats.pendingJobs], [0, 0, 0, 0]);
});

test("a file is imported by path, streamed, with progress; a path that is not an export file is refused", async (t) => {
  const { engine } = await openTempEngine(t);
  const folder = await mkdtemp(join(tmpdir(), "engram-import-file-"));
  t.after(() => rm(folder, { recursive: true, force: true }));
  const path = join(folder, "conversations.json");
  await writeFile(path, JSON.stringify(chatGptExport()));
  const progress: { kind: string; done: number; total: number }[] = [];
  engine.events.on("jobs.progress", (event) => progress.push(event));
  const result = await engine.call("conversations.importFile", { source: "chatgpt", path });
  assert.equal(result.conversations, 2);
  assert.deepEqual(progress.filter((event) => event.kind === "import").at(-1), { kind: "import", done: 6, total: 6 });
  assert.ok(progress.some((event) => event.kind === "import.read" && event.done === event.total));

  await mkdir(join(folder, "folder.json"));
  await writeFile(join(folder, "id_rsa"), "User: secret");
  const refused: [string, string, string][] = [
    ["conversations.json", "bad_input", "a relative path"],
    [join(folder, "missing.json"), "not_found", "a missing file"],
    [join(folder, "folder.json"), "bad_input", "a folder"],
    [join(folder, "id_rsa"), "bad_input", "a file not named like a transcript"],
  ];
  for (const [target, code, what] of refused) {
    const answer = await engine.dispatch("conversations.importFile", { source: "markdown", path: target });
    assert.equal(!answer.ok && answer.error.code, code, what);
  }
  assert.equal((await engine.call("stats.get", {})).conversations, 2);
});
