import { test } from "node:test";
import assert from "node:assert/strict";
import { timeRangesIn } from "./timeExpressions.ts";

// Friday 20 October 2023, noon.
const now = Date.parse("2023-10-20T12:00:00Z");
const iso = (at: number) => new Date(at).toISOString().slice(0, 10);
const spans = (question: string) => timeRangesIn(question, now).map((r) => [iso(r.from), iso(r.to)]);

test("a month on its own is its latest occurrence, a month with a year is that month", () => {
  assert.deepEqual(spans("When did Melanie go camping in June?"), [["2023-06-01", "2023-07-01"]]);
  assert.deepEqual(spans("What did I buy in December?"), [["2022-12-01", "2023-01-01"]]);
  assert.deepEqual(spans("What workout did Maria start in December 2023?"), [["2023-12-01", "2024-01-01"]]);
});

test("full dates name one day", () => {
  assert.deepEqual(spans("What painting did Melanie show on October 13, 2023?"), [["2023-10-13", "2023-10-14"]]);
  assert.deepEqual(spans("What did Gina find on 1 February, 2023?"), [["2023-02-01", "2023-02-02"]]);
});

test("relative spans count back from now", () => {
  const [lastSaturday] = timeRangesIn("I got jewellery last Saturday from whom?", now);
  assert.ok(lastSaturday && lastSaturday.from <= Date.parse("2023-10-14T00:00:00Z"));
  assert.ok(lastSaturday.to >= Date.parse("2023-10-15T00:00:00Z") && lastSaturday.to < now);
  const [twoMonths] = timeRangesIn("I visited a museum two months ago", now);
  const centre = now - 61 * 86_400_000;
  assert.ok(twoMonths && twoMonths.from < centre && twoMonths.to > centre && twoMonths.to < now);
  const [lastMonth] = timeRangesIn("How many plants did I get in the past month?", now);
  assert.ok(lastMonth && lastMonth.from < now - 30 * 86_400_000 && lastMonth.to >= now);
});

test("questions that name no time, or use 'may' as a verb, get no span", () => {
  assert.deepEqual(spans("When did Caroline go to the support group?"), []);
  assert.deepEqual(spans("How many days ago did I buy a smoker?"), []);
  assert.deepEqual(spans("May I ask what you suggested for dinner?"), []);
  assert.deepEqual(spans("Which airlines did I fly with before today?"), []);
});
