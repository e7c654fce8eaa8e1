import { test } from "node:test";
import assert from "node:assert/strict";
import { extractEntities, extractEntitiesInPieces } from "./entityExtraction.ts";

const saidAt = Date.UTC(2023, 4, 8, 12); // Monday 8 May 2023
const read = (text: string) =>
  extractEntities(text, saidAt)
    .map((entity) => `${entity.type}:${entity.name}`)
    .sort();

test("a turn's people, places, organisations and the days it names, relative to when it was said", () => {
  assert.deepEqual(read("I went to a support group in Lisbon yesterday with Melanie."), [
    "date:2023-05-07",
    "person:Melanie",
    "place:Lisbon",
  ]);
  assert.deepEqual(read("That's great! I met Ana Silva from Google there last Friday."), [
    "date:2023-05-05",
    "organisation:Google",
    "person:Ana Silva",
  ]);
  assert.deepEqual(read("She is moving to Porto on June 5th."), ["date:2023-06-05", "place:Porto"]);
  assert.deepEqual(read("My birthday was March 3rd, 2021."), ["date:2021-03-03"]);
  assert.deepEqual(read("Three days ago it rained."), ["date:2023-05-05"]);
});

test("only expressions that name one day are days, and a month's name is not a person", () => {
  assert.deepEqual(read("We fly out next week."), []);
  assert.deepEqual(read("I was away from May 3 to May 9."), []);
  assert.deepEqual(read("We should sort it out before January."), []);
  assert.deepEqual(read("May I ask you something?"), []);
  assert.deepEqual(read("I'll call you at 12 o'clock."), []);
});

test("a long turn is read in pieces with a pause between them, and finds what each piece names, once", async () => {
  const filler = "The weather stayed grey and the trains ran late all through the afternoon. ".repeat(60);
  const document = [
    "I went to a support group in Lisbon with Melanie.",
    filler,
    "Ana Silva joined us from Google.",
    // One run with no sentence end at all, longer than a piece.
    "word ".repeat(900),
    "Melanie drove back to Lisbon yesterday.",
  ].join("\n");
  let pauses = 0;
  const found = await extractEntitiesInPieces(document, saidAt, async () => {
    pauses += 1;
  });
  assert.ok(pauses >= 3, `paused ${pauses} times`);
  assert.deepEqual(found.map((entity) => `${entity.type}:${entity.name}`).sort(), [
    "date:2023-05-07",
    "organisation:Google",
    "person:Ana Silva",
    "person:Melanie",
    "place:Lisbon",
  ]);
  // A short turn is one piece: no pause, the same entities as reading it whole.
  pauses = 0;
  const short = "She is moving to Porto on June 5th.";
  const whole = extractEntities(short, saidAt);
  assert.deepEqual(await extractEntitiesInPieces(short, saidAt, async () => void (pauses += 1)), whole);
  assert.equal(pauses, 0);
});
