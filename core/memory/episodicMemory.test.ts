import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "../store/database.ts";
import { EpisodeStore } from "../store/episodeStore.ts";
import { EpisodicMemory, type TurnToRemember } from "./episodicMemory.ts";
import { recallConfig } from "./recallConfig.ts";
import { VectorMemory } from "./vectorMemory.ts";

const day = 86_400_000;
const now = Date.parse("2023-10-20T12:00:00Z");

async function openMemory(t: { after: (fn: () => Promise<void>) => void }) {
  const directory = await mkdtemp(join(tmpdir(), "engram-recall-"));
  const db = await Database.open({ directory });
  const store = await EpisodeStore.open(db);
  t.after(async () => {
    await db.dispose();
    await rm(directory, { recursive: true, force: true });
  });
  return { memory: new EpisodicMemory(store, new VectorMemory(db), recallConfig), store, db };
}

const turn = (speaker: string, text: string, at: number): TurnToRemember => ({
  speaker,
  role: speaker === "user" || speaker === "assistant" ? speaker : "other",
  text,
  at,
});

test("a question naming Caroline ranks Caroline's own turn above Melanie's turn that names her", async (t) => {
  const { memory } = await openMemory(t);
  const at = now - 10 * day;
  const rows = await memory.ingest("conv", [
    turn("Melanie", "Caroline, did you ever go to the pottery class you talked about?", at),
    turn("Caroline", "Yes! I went to a pottery class last week and made a bowl.", at),
    turn("Melanie", "Nice. I'm painting a sunset these days.", at),
  ]);
  const recalled = await memory.recall("What class did Caroline go to?", { limit: 5, now });
  assert.equal(recalled[0]!.episode.id, rows[1]!.id);
  assert.equal(recalled[0]!.episode.text, rows[1]!.text, "recall returns whole rows, text included");
});

test("the reply to a matching question is recalled although it shares no word with the query", async (t) => {
  const { memory } = await openMemory(t);
  const at = now - 3 * day;
  const filler = Array.from({ length: 12 }, (_, i) =>
    turn("Andrew", `Unrelated chatter number ${i} about cooking.`, at),
  );
  const rows = await memory.ingest("conv", [
    ...filler,
    turn("Andrew", "Wow, nice hike! How long was the trail?", at),
    turn("Audrey", "It took us two hours and the views were stunning.", at),
    ...filler,
  ]);
  const recalled = await memory.recall("How long did Audrey's trail hike take?", { limit: 5, now });
  const ids = recalled.map((r) => r.episode.id);
  assert.ok(ids.includes(rows[13]!.id), "the answer right after the question is among the first five");
  assert.ok(recalled.length <= 5);
});

test("'what did I say' prefers the user's turn; 'what did you recommend' the assistant's", async (t) => {
  const { memory } = await openMemory(t);
  const at = now - day;
  const rows = await memory.ingest("chat", [
    turn("user", "I'm visiting Lisbon in spring and I love seafood restaurants.", at),
    turn("assistant", "For seafood restaurants in Lisbon, Cervejaria Ramiro is a classic choice.", at),
  ]);
  const mine = await memory.recall("Which city am I visiting for seafood restaurants?", { limit: 2, now });
  assert.equal(mine[0]!.episode.id, rows[0]!.id);
  const yours = await memory.recall("Which seafood restaurant in Lisbon did you recommend?", { limit: 2, now });
  assert.equal(yours[0]!.episode.id, rows[1]!.id);
});

test("a question about last month lifts what was said then over the same words said long before", async (t) => {
  const { memory, db } = await openMemory(t);
  const old = await memory.ingest("a", [turn("user", "I bought new running shoes today.", now - 200 * day)]);
  const recent = await memory.ingest("b", [turn("user", "I bought new running shoes today.", now - 20 * day)]);
  // The same words must score the same for the time to decide: once the store's upkeep has folded the second turn
  // into the full-text index (LanceDB 0.31 scores rows outside it lower until then; see core/store/tableHandle.ts).
  await db.optimizeAll();
  const recalled = await memory.recall("What shoes did I buy last month?", { limit: 2, now });
  assert.equal(recalled[0]!.episode.id, recent[0]!.id);
  assert.equal(recalled[1]!.episode.id, old[0]!.id);
});
