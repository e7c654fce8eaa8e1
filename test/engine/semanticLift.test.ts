import { test } from "node:test";
import assert from "node:assert/strict";
import { entityLiftConfig, liftByEntities } from "../../core/memory/semantic/entityLift.ts";
import { FactRecall } from "../../core/memory/semantic/factRecall.ts";
import type { ScoredCandidate } from "../../core/memory/recallScoring.ts";
import { openTempEngine } from "../support/tempEngine.ts";

test("entity lift: turns naming the question's entity, then its graph neighbours, rise", async (t) => {
  const { engine } = await openTempEngine(t);
  const { conversationId } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "Caroline", text: "The weather was grey all week." },
      { speaker: "Caroline", text: "Melanie and Oscar went hiking near Boulder." },
      { speaker: "Caroline", text: "Melanie painted a sunrise last summer." },
      { speaker: "Caroline", text: "Some people just like grey weather." },
      { speaker: "Caroline", text: "Nothing much happened on Tuesday." },
    ],
  });
  await engine.drainJobs();
  const { episodes } = await engine.call("episodes.list", { conversationId });
  // Recall's candidates as scored before the lift: the unrelated turns first.
  const scored: ScoredCandidate[] = [0, 3, 4, 2, 1].map((i, rank) => ({
    row: { ...episodes[i]!, seq: i, role: "other", at: Date.parse(episodes[i]!.at) },
    score: 1 - rank * 0.1,
  }));
  const index = engine.semantic.index;
  const recall = new FactRecall(index, engine.semantic.vectors, undefined as never);
  const entitiesIn = (question: string) => recall.entitiesIn(question);
  const question = "What did Oscar do?";

  assert.deepEqual(
    liftByEntities(index, entitiesIn, question, scored, { ...entityLiftConfig, weight: 0 }),
    scored,
    "weight 0 is off",
  );

  const lifted = liftByEntities(index, entitiesIn, question, scored, { weight: 2, neighbourShare: 0.5, neighbours: 5 });
  const textOf = new Map(episodes.map((episode) => [episode.id, episode.text]));
  const order = lifted.map((candidate) => textOf.get(candidate.row.id));
  assert.equal(order[0], "Melanie and Oscar went hiking near Boulder.", "names Oscar");
  assert.equal(order[1], "Melanie painted a sunrise last summer.", "names Melanie, Oscar's neighbour in the graph");
});

test("as shipped, memory.search lifts the turns that name the entity asked about", async (t) => {
  const { engine } = await openTempEngine(t);
  const { episodeIds } = await engine.call("memory.ingest", {
    turns: [
      { speaker: "user", text: "The hiking trip was a great hiking trip, the best hiking trip of the summer." },
      { speaker: "user", text: "Oscar came along on the trip." },
    ],
  });
  await engine.drainJobs();
  const scoreOf = async (id: string) =>
    (await engine.call("memory.search", { query: "How was the hiking trip with Oscar?", limit: 4 })).hits.find(
      (hit) => hit.id === id,
    )!.score;
  const shipped = entityLiftConfig.weight;
  assert.ok(shipped > 0);
  const lifted = [await scoreOf(episodeIds[0]!), await scoreOf(episodeIds[1]!)];
  entityLiftConfig.weight = 0;
  try {
    const plain = [await scoreOf(episodeIds[0]!), await scoreOf(episodeIds[1]!)];
    assert.ok(lifted[1]! > plain[1]!, "the turn naming Oscar is lifted");
  } finally {
    entityLiftConfig.weight = shipped;
  }
});
