import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MetricAverager,
  normaliseEvidence,
  parseLocomoDate,
  parseLongMemEvalDate,
  scoreTurns,
  sessionFigures,
  sessionRanking,
  turnFigures,
} from "./retrievalMetrics.ts";

test("LoCoMo evidence is split, rewritten, filtered to known turns and deduplicated", () => {
  const known = new Set(["D11:26", "D30:5", "D1:3", "D2:1"]);
  assert.deepEqual(normaliseEvidence(["D:11:26; D30:05"], known), ["D11:26", "D30:5"]);
  assert.deepEqual(normaliseEvidence(["D1:3, D2:1 D1:3", "D1:03"], known), ["D1:3", "D2:1"]);
  assert.deepEqual(normaliseEvidence(["D9:9", "session 1", "D1"], known), [], "unknown or malformed ids are dropped");
});

test("dates of both data sets parse to UTC", () => {
  assert.equal(new Date(parseLocomoDate("1:56 pm on 8 May, 2023")).toISOString(), "2023-05-08T13:56:00.000Z");
  assert.equal(new Date(parseLocomoDate("12:09 am on 13 September, 2023")).toISOString(), "2023-09-13T00:09:00.000Z");
  assert.equal(new Date(parseLocomoDate("12:30 pm on 1 June, 2022")).toISOString(), "2022-06-01T12:30:00.000Z");
  assert.equal(new Date(parseLongMemEvalDate("2023/05/20 (Sat) 02:21")).toISOString(), "2023-05-20T02:21:00.000Z");
  assert.throws(() => parseLocomoDate("yesterday"));
  assert.throws(() => parseLongMemEvalDate("20-05-2023"));
});

test("turn metrics follow METRICS.md: recall over evidence, P@5 over 5, MRR of the first hit", () => {
  const ranking = ["a", "x", "y", "b", "z", "c"];
  const scores = scoreTurns(["a", "b", "c", "d"], ranking);
  assert.equal(scores.recall[1], 0.25);
  assert.equal(scores.recall[5], 0.5);
  assert.equal(scores.recall[10], 0.75);
  assert.equal(scores.precisionAt5, 2 / 5);
  assert.equal(scores.reciprocalRank, 1);
  assert.equal(scoreTurns(["b"], ranking).reciprocalRank, 1 / 4);
  assert.equal(scoreTurns(["q"], ranking).reciprocalRank, 0, "0 when no evidence is returned");
});

test("a turn returned twice counts once, at its first position", () => {
  const scores = scoreTurns(["b"], ["a", "a", "a", "a", "a", "b"]);
  assert.equal(scores.recall[5], 1);
  assert.equal(scores.reciprocalRank, 1 / 2);
});

test("a session ranks at its best turn", () => {
  const sessionOf = (turn: string) => turn.split(":")[0]!;
  const sessions = sessionRanking(["s2:4", "s1:0", "s2:1", "s3:7"], sessionOf);
  assert.deepEqual(sessions, ["s2", "s1", "s3"]);
  const figures = sessionFigures(["s1", "s3"], sessions);
  assert.equal(figures["sessionR@1"], 0);
  assert.equal(figures["sessionR@3"], 1);
});

test("figures are macro-averaged over questions", () => {
  const averager = new MetricAverager();
  averager.add(turnFigures(scoreTurns(["a"], ["a"])));
  averager.add(turnFigures(scoreTurns(["a", "b"], ["b"])));
  const averages = averager.averages();
  assert.equal(averager.count, 2);
  assert.equal(averages["R@1"], 0.75);
  assert.equal(averages["MRR"], 1);
});
