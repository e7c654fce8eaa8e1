import { test } from "node:test";
import assert from "node:assert/strict";
import { entityLiftConfig, liftByEntities } from "../../core/memory/semantic/entityLift.ts";
import { FactRecall } from "../../core/memory/semantic/factRecall.ts";
import type { ScoredCandidate } from "../../core/memory/recallScoring.ts";
import { openTempEngine } from "../support/tempEngine.ts";

test("entity lift: turns naming the question's entity, then its graph neighbours, rise; off as shipped", async (t) => {
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

  assert.equal(entityLiftConfig.weight, 0, "shipped off: it did not lift the held-out parts");
  assert.deepEqual(liftByEntities(index, entitiesIn, question, scored), scored);

  const lifted = liftByEntities(index, entitiesIn, question, scored, { weight: 2, neighbourShare: 0.5, neighbours: 5 });
  const textOf = new Map(episodes.map((episode) => [episode.id, episode.text]));
  const order = lifted.map((candidate) => textOf.get(candidate.row.id));
  assert.equal(order[0], "Melanie and Oscar went hiking near Boulder.", "names Oscar");
  assert.equal(order[1], "Melanie painted a sunrise last summer.", "names Melanie, Oscar's neighbour in the graph");
});
