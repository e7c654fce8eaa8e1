import { timeRangesIn, type TimeRange } from "./timeExpressions.ts";

/** What recall reads from a question besides its words. */
export interface QueryAnalysis {
  /** The words to search for: the question without talk about the conversation itself or the speakers' names. */
  searchText: string;
  /** Known speakers the question names (as stored), whose turns it is most likely about. */
  speakers: string[];
  /** Which side of a chat the question asks about: "what did I say" -> user, "what did you suggest" -> assistant. */
  role: "user" | "assistant" | null;
  /** Time spans the question names. */
  times: TimeRange[];
  /** The question gathers several things ("how many times...", "what do A and B have in common"). */
  gathers: boolean;
}

/**
 * Words about remembering and conversing rather than about the thing asked ("can you remind me what you mentioned
 * in our previous chat about X"): they occur all over a chat history, so as search terms they only add noise.
 */
const conversationalWords = new Set(
  (
    "remind reminded remember remembered recall mention mentioned mentioning previously earlier conversation " +
    "conversations chat chats chatted talk talked talking discuss discussed discussion tell told said say saying " +
    "ask asked wondering wonder wanted thinking thought back please could would can again"
  ).split(" "),
);

/**
 * "Previous" (or "last", "past") about the conversation itself ("in our previous chat"), as opposed to about the
 * thing asked ("my previous job", "the previous spider plant"), where it is a word worth searching.
 */
const earlierConversation = /\b(?:previous|last|past)\s+(?:chat|conversation|discussion|talk|session|exchange)s?\b/gi;

/**
 * The assistant is asked about what it said: "you recommended", "did you suggest", "your advice". Present forms only
 * after "did": "can you suggest..." is a request for something new, not a question about what was said.
 */
const aboutAssistant = new RegExp(
  "\\b(?:you|your)\\s+(?:just\\s+|previously\\s+|once\\s+)?(?:said|told|mentioned|suggested|recommended|gave|provided|" +
    "listed|shared|explained|described|proposed|came up|wrote|created|made|offered|advised|suggestions?|" +
    "recommendations?|advice|list)\\b|\\bdid you\\b",
  "i",
);
/** The user asks about themself. */
const aboutUser = /\b(i|i'm|i've|i'd|i'll|my|me|mine|myself)\b/i;

/** Questions whose answer is gathered from several places rather than read off one turn. */
const gathering =
  /\b(how many|how much|in total|total|altogether|combined|all the|all of|both|in common|so far|each|every|times)\b/i;

/** Names of the two sides of a chat: they are roles, not people a question would name. */
const roleNames = new Set(["user", "assistant", "other"]);

/**
 * Reads a question: the words worth searching, the speakers and the side it is about, the times it names.
 * `knownSpeakers` are the speaker names memory holds; a question naming one ("What did Caroline adopt?") is about
 * that speaker's own turns, while the name itself mostly occurs in the other side's turns ("Hey Caroline!").
 */
export function analyseQuery(question: string, knownSpeakers: Iterable<string>, now: number): QueryAnalysis {
  const byWord = new Map<string, string>();
  for (const speaker of knownSpeakers) {
    const name = speaker.trim();
    if (roleNames.has(name.toLowerCase())) continue;
    byWord.set(name.toLowerCase(), speaker);
    // "Caroline Smith" is also named as "Caroline".
    const first = name.split(/\s+/)[0];
    if (first && first.length >= 3 && !byWord.has(first.toLowerCase())) byWord.set(first.toLowerCase(), speaker);
  }
  const speakers = new Set<string>();
  const words = question.replace(earlierConversation, " ").match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
  const kept: string[] = [];
  for (const word of words) {
    const lower = word.toLowerCase().replace(/['’]s$/, "");
    const speaker = byWord.get(lower);
    if (speaker !== undefined) {
      speakers.add(speaker);
      continue;
    }
    if (conversationalWords.has(lower)) continue;
    kept.push(word);
  }
  const role = aboutAssistant.test(question) ? "assistant" : aboutUser.test(question) ? "user" : null;
  return {
    // A question made only of such words still searches for something.
    searchText: kept.length > 0 ? kept.join(" ") : question,
    speakers: [...speakers],
    role,
    times: timeRangesIn(question, now),
    gathers: gathering.test(question),
  };
}
