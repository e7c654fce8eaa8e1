import { test } from "node:test";
import assert from "node:assert/strict";
import { analyseQuery } from "./queryAnalysis.ts";

const now = Date.parse("2023-10-20T12:00:00Z");

test("a question naming a known speaker is about that speaker, and the name is not searched for", () => {
  const analysis = analyseQuery("What did Caroline's friends give her?", ["Caroline", "Melanie"], now);
  assert.deepEqual(analysis.speakers, ["Caroline"]);
  assert.ok(!/caroline/i.test(analysis.searchText));
  assert.match(analysis.searchText, /friends give/);
});

test("first names find full speaker names; role names are never taken for people", () => {
  assert.deepEqual(analyseQuery("Where does Audrey hike?", ["Audrey Hall"], now).speakers, ["Audrey Hall"]);
  assert.deepEqual(analyseQuery("What did the user say about the assistant?", ["user", "assistant"], now).speakers, []);
});

test("'what did you suggest' is about the assistant's turns, 'what did I' about the user's", () => {
  assert.equal(analyseQuery("Can you remind me which hotel you recommended in Rome?", [], now).role, "assistant");
  assert.equal(analyseQuery("Where did I go for my study abroad program?", [], now).role, "user");
  assert.equal(analyseQuery("Which team won the 2010 World Cup?", [], now).role, null);
});

test("talk about the conversation itself is dropped from the search words, content words stay", () => {
  const analysis = analyseQuery(
    "Can you remind me of the dessert shop with giant milkshakes we talked about in our previous conversation?",
    [],
    now,
  );
  assert.doesNotMatch(analysis.searchText, /remind|talked|previous|conversation/i);
  assert.match(analysis.searchText, /dessert shop with giant milkshakes/);
  assert.equal(analyseQuery("Remember?", [], now).searchText, "Remember?", "never an empty search");
  assert.doesNotMatch(analyseQuery("In our previous chat you listed four options", [], now).searchText, /previous/);
  assert.match(analyseQuery("What was my previous occupation?", [], now).searchText, /previous occupation/);
});
