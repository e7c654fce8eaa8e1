import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import type { SourceEvent } from "../../core/transfer/importedConversation.ts";
import { readMarkdownTranscript } from "../../core/transfer/markdownTranscript.ts";

async function read(text: string): Promise<SourceEvent[]> {
  const events: SourceEvent[] = [];
  for await (const event of readMarkdownTranscript(() => Readable.from([text]))) events.push(event);
  return events;
}

const turnsOf = (events: SourceEvent[]) =>
  events.flatMap((event) => (event.kind === "turns" ? event.turns.map((turn) => [turn.speaker, turn.text]) : []));

test("heading-style transcripts (as chat exporters write them) are read turn by turn", async () => {
  const events = await read(
    [
      "# Trip to Kyoto",
      "",
      "## 👤 User",
      "",
      "Which temples should I see?",
      "",
      "## 🤖 Claude",
      "",
      "Start with Kiyomizu-dera.",
      "",
      "## Steps",
      "1. Arrive early.",
      "",
      "## 👤 User",
      "Thanks!",
    ].join("\n"),
  );
  assert.deepEqual(events[0], {
    kind: "conversation",
    id: null,
    title: "Trip to Kyoto",
    createdAt: null,
    updatedAt: null,
  });
  assert.deepEqual(turnsOf(events), [
    ["user", "Which temples should I see?"],
    ["assistant", "Start with Kiyomizu-dera.\n\n## Steps\n1. Arrive early."],
    ["user", "Thanks!"],
  ]);
});

test("plain labels without blank lines, prose labels inside a turn, and a heading inside an answer", async () => {
  const events = await read(
    [
      "Human: What is a good name for a cat?",
      "Assistant: Some ideas:",
      "Note: pick a short one.",
      "# Miso",
      "is a classic.",
      "Human: [2024-05-01 09:30] ok",
      "Human (2024-05-01T09:31:00Z): Miso it is.",
    ].join("\n"),
  );
  assert.equal(events.filter((event) => event.kind === "conversation").length, 1, "the heading did not split it");
  assert.deepEqual(turnsOf(events), [
    ["user", "What is a good name for a cat?"],
    ["assistant", "Some ideas:\nNote: pick a short one.\n# Miso\nis a classic."],
    ["user", "[2024-05-01 09:30] ok"],
    ["user", "Miso it is."],
  ]);
  const last = events.at(-1)!;
  assert.equal(last.kind === "turns" && last.turns.at(-1)!.at, Date.parse("2024-05-01T09:31:00Z"));
});

test("a text without speaker lines is refused", async () => {
  await assert.rejects(read("Just some notes.\nNothing here: is a chat."), /not a chat transcript/);
});
