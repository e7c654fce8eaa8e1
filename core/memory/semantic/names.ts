import nlp from "compromise";

/**
 * How names, predicates and statements are compared: what counts as "the same" for entity resolution and for the
 * duplicate and contradiction checks of consolidation.
 */

/** The name an entity, fact or question word is compared by: case, accents, punctuation and a leading "the" dropped. */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[’']s\b/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .replace(/^the /, "");
}

/** Names by which a user refers to themself; a fact about any of them is about the user entity. */
const selfNames = new Set(["i", "me", "my", "myself", "user", "the user", "you"]);

/** The name of the entity that stands for the person using Engram (the chat's "user" speaker). */
export const userEntityName = "User";

/** Whether a subject or speaker names the user ("I", "me", "user"). */
export const isSelfName = (name: string): boolean => selfNames.has(normaliseName(name)) || normaliseName(name) === "";

const predicateKeys = new Map<string, string>();

/**
 * The predicate compared for contradiction: verbs to their infinitive ("lives in", "lived in", "live_in" are one
 * predicate). Predicates are few and repeat, so each is parsed once.
 */
export function predicateKey(predicate: string): string {
  const plain = normaliseName(predicate.replaceAll("_", " "));
  let key = predicateKeys.get(plain);
  if (key === undefined) {
    key = normaliseName(nlp(plain).verbs().toInfinitive().all().text()) || plain;
    if (predicateKeys.size > 10_000) predicateKeys.clear();
    predicateKeys.set(plain, key);
  }
  return key;
}

/**
 * Predicates that hold several objects at once (one likes tea and coffee): a new object adds a fact instead of
 * superseding. Every other predicate is taken to have one current value (lives in, works at, is married to), which
 * is what a knowledge update changes. Compared by their first word after predicateKey.
 */
const multiValuedHeads = new Set([
  // A bare "is" joins unrelated things (is a doctor, is vegetarian); "is married to" keeps its own key.
  "be",
  "like",
  "love",
  "enjoy",
  "hate",
  "dislike",
  "prefer",
  "have",
  "own",
  "know",
  "visit",
  "speak",
  "play",
  "read",
  "watch",
  "want",
  "need",
  "use",
  "eat",
  "drink",
  "meet",
  "friend",
  "attend",
  "collect",
  "support",
  "value",
  "go",
  "travel",
]);

export function isMultiValued(predicate: string): boolean {
  const key = predicateKey(predicate);
  const words = key.split(" ");
  if (words[0] === "be" && words.length > 1 && !["a", "an"].includes(words[1]!)) return false;
  return (
    multiValuedHeads.has(words[0] ?? "") ||
    /\b(hobby|hobbies|interest|interests|friend|friends|child|children|pet|pets)\b/.test(key)
  );
}

/** A statement as compared for exact duplicates: normalised words, final punctuation ignored. */
export const statementKey = (statement: string): string => normaliseName(statement);
