import { test } from "node:test";
import assert from "node:assert/strict";
import type { EpisodeRow } from "../store/schema.ts";
import type { QueryAnalysis } from "./queryAnalysis.ts";
import { recallConfig } from "./recallConfig.ts";
import { normaliseScores } from "./fusion.ts";
import { diversify, neighboursToAdd, scoreCandidates, type Candidate } from "./recallScoring.ts";

const day = 86_400_000;
const now = Date.parse("2023-10-20T12:00:00Z");
let seq = 0;
const row = (speaker: string, text: string, at = now - 30 * day, role = "other"): EpisodeRow => ({
  id: `ep_${++seq}`,
  conversationId: "conv",
  messageId: null,
  seq,
  speaker,
  role,
  text,
  context: text,
  at,
  salience: 0.5,
  accessCount: 0,
  lastAccessAt: at,
  pinned: false,
  edited: false,
});
const candidate = (r: EpisodeRow, turn: number, window = 0): Candidate => ({ row: r, turn, window, vector: 0 });
const plain: QueryAnalysis = { searchText: "", speakers: [], role: null, times: [], gathers: false };

test("a question naming Caroline ranks Caroline's turn above an equal match in Melanie's turn", () => {
  const melanie = row("Melanie", "Did you adopt the puppy, Caroline?");
  const caroline = row("Caroline", "Yes, I adopted a puppy named Rex.");
  const ranked = scoreCandidates(
    [candidate(melanie, 1), candidate(caroline, 1)],
    { ...plain, speakers: ["Caroline"] },
    recallConfig,
    now,
  );
  assert.equal(ranked[0]!.row.id, caroline.id);
});

test("'what did I say' lifts the user's turns over the assistant's equally matching ones", () => {
  const assistant = row("assistant", "Tokyo has great ramen shops.", now - day, "assistant");
  const user = row("user", "I ate ramen in Tokyo last spring.", now - day, "user");
  const ranked = scoreCandidates(
    [candidate(assistant, 1), candidate(user, 1)],
    { ...plain, role: "user" },
    recallConfig,
    now,
  );
  assert.equal(ranked[0]!.row.id, user.id);
});

test("a turn from the time a question names outranks an equal match from another time", () => {
  const june = row("user", "We went camping by the lake.", Date.parse("2023-06-20T10:00:00Z"));
  const march = row("user", "We went camping in the hills.", Date.parse("2023-09-10T10:00:00Z"));
  const times = [{ from: Date.parse("2023-06-01T00:00:00Z"), to: Date.parse("2023-07-01T00:00:00Z") }];
  const ranked = scoreCandidates([candidate(march, 1), candidate(june, 1)], { ...plain, times }, recallConfig, now);
  assert.equal(ranked[0]!.row.id, june.id);
});

test("a reply is found through the question right before it (its window holds the question)", () => {
  const question = row("Andrew", "Nice hike! How long was the trail?");
  const reply = row("Audrey", "It took us two hours and the views were stunning.");
  const unrelated = row("Audrey", "I cooked pasta tonight.");
  const ranked = scoreCandidates(
    [candidate(question, 1, 0.8), candidate(reply, 0, 1), candidate(unrelated, 0.1)],
    plain,
    recallConfig,
    now,
  );
  assert.deepEqual(
    ranked
      .slice(0, 2)
      .map((r) => r.row.id)
      .sort(),
    [question.id, reply.id].sort(),
  );
});

test("scores are normalised to the best of their list", () => {
  const scores = normaliseScores([4, 2, 1], (x) => x);
  assert.deepEqual([...scores.values()], [1, 0.5, 0.25]);
  assert.deepEqual([...normaliseScores([0], (x) => x).values()], [0]);
});

test("the turn right after a strong hit is wanted even though it matched nothing, nearer ones more", () => {
  const hit = row("Andrew", "How long was the trail?");
  const wanted = neighboursToAdd([{ row: hit, score: 1 }], { top: 5, radius: 2, share: 0.5 });
  const next = wanted.find((w) => w.seq === hit.seq + 1);
  const twoAway = wanted.find((w) => w.seq === hit.seq + 2);
  assert.ok(next && twoAway && next.score > twoAway.score);
  assert.equal(neighboursToAdd([{ row: hit, score: 1 }], { top: 0, radius: 2, share: 0.5 }).length, 0);
});

test("a question that gathers sees a second conversation before the second turn of the first", () => {
  const at = now - day;
  const a1 = { conversationId: "a", seq: 1, at, score: 1 };
  const a2 = { conversationId: "a", seq: 2, at, score: 0.9 };
  const b1 = { conversationId: "b", seq: 1, at, score: 0.8 };
  assert.deepEqual(
    diversify([a1, a2, b1], 0.2).map((r) => `${r.conversationId}${r.seq}`),
    ["a1", "b1", "a2"],
  );
  assert.deepEqual(
    diversify([a1, a2, b1], 0).map((r) => `${r.conversationId}${r.seq}`),
    ["a1", "a2", "b1"],
  );
});
