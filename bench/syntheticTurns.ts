/**
 * Varied synthetic conversation turns for the scale benchmark: a seeded generator (same turns every run) mixing
 * topics, people, places, numbers and small talk, so full-text postings have realistic length and skew.
 */

import { seededRandom } from "../test/support/seededRandom.ts";

const people = ["Ana", "Ben", "Chloe", "Dmitri", "Esme", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Liam"];
const places = ["Porto", "Lisbon", "Berlin", "Kyoto", "Oslo", "Austin", "Nairobi", "Lima", "Hanoi", "Dublin"];
const topics: [string, string[]][] = [
  ["garden", ["tomatoes", "fence", "compost", "roses", "seedlings", "watering", "shed"]],
  ["work", ["deadline", "manager", "promotion", "meeting", "project", "report", "interview"]],
  ["health", ["running", "doctor", "allergy", "sleep", "yoga", "vitamins", "knee"]],
  ["travel", ["flight", "passport", "hotel", "museum", "train", "luggage", "visa"]],
  ["cooking", ["recipe", "bread", "curry", "oven", "spices", "dumplings", "soup"]],
  ["money", ["budget", "savings", "rent", "mortgage", "taxes", "invoice", "pension"]],
  ["family", ["birthday", "wedding", "daughter", "nephew", "grandmother", "anniversary", "cousin"]],
  ["music", ["guitar", "concert", "playlist", "piano", "choir", "vinyl", "lessons"]],
  ["pets", ["puppy", "vet", "leash", "kitten", "aquarium", "adoption", "grooming"]],
  ["books", ["novel", "library", "poetry", "chapter", "author", "bookclub", "memoir"]],
];
const templates = [
  "I talked to {person} about the {word} yesterday, and we decided to sort it out before {month}.",
  "Remember that my {word} appointment in {place} is on the {day}th at {hour} o'clock.",
  "{person} told me the {word} cost {number} euros, which seems like a lot for {place}.",
  "Can you remind me what we said about the {word} and the {word2}?",
  "I finally finished the {word} thing; next up is the {word2} with {person}.",
  "We might move to {place} next year if the {word} works out.",
  "ok thanks",
  "That's great to hear! How did the {word} go with {person}?",
  "My favourite part of {topic} is definitely the {word}, ever since I was {number}.",
  "I'm worried about the {word}; {person} says it could take {number} weeks.",
];
const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

export interface SyntheticTurn {
  speaker: string;
  text: string;
  at: string;
}

/**
 * `count` turns alternating user and assistant, spread evenly over `months` months ending at `end`, generated as
 * they are taken (the scale benchmark measures the engine's memory, not that of 100,000 turns held at once).
 */
export function* syntheticTurns(
  count: number,
  options: { seed?: number; months?: number; end?: Date } = {},
): Generator<SyntheticTurn> {
  const random = seededRandom(options.seed ?? 42);
  const end = (options.end ?? new Date("2026-11-01T00:00:00Z")).getTime();
  const span = (options.months ?? 12) * 30 * 86_400_000;
  for (let i = 0; i < count; i += 1) {
    const [topic, words] = pick(random, topics);
    const text = pick(random, templates).replace(/\{(\w+)\}/g, (_, key: string) => {
      switch (key) {
        case "person":
          return pick(random, people);
        case "place":
          return pick(random, places);
        case "word":
        case "word2":
          return pick(random, words);
        case "topic":
          return topic;
        case "month":
          return pick(random, months);
        case "day":
          return String(1 + Math.floor(random() * 28));
        case "hour":
          return String(7 + Math.floor(random() * 12));
        default:
          return String(2 + Math.floor(random() * 90));
      }
    });
    yield {
      speaker: i % 2 === 0 ? "user" : "assistant",
      text,
      at: new Date(end - span + (span * i) / count).toISOString(),
    };
  }
}

/** Questions of the kind a user asks their memory, drawn from the same vocabulary. */
export function syntheticQueries(count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const forms = [
    "What did {person} say about the {word}?",
    "When is my {word} appointment?",
    "How much did the {word} cost?",
    "Did we talk about moving to {place}?",
    "what was the plan for the {word} and the {word2}",
  ];
  return Array.from({ length: count }, () => {
    const [, words] = pick(random, topics);
    return pick(random, forms).replace(/\{(\w+)\}/g, (_, key: string) =>
      key === "person" ? pick(random, people) : key === "place" ? pick(random, places) : pick(random, words),
    );
  });
}
