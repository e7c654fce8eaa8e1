import type { Episode, Fact, SearchHit } from "../api/index.ts";

/** Longest memory text quoted in a tool's text answer; the structured answer keeps the whole text. */
const maxQuotedChars = 2_000;

const quote = (text: string) =>
  JSON.stringify(text.length > maxQuotedChars ? `${text.slice(0, maxQuotedChars)}…` : text);

/** A timestamp to the minute, in UTC as stored. */
const day = (at: string | undefined) => (at ? `${at.slice(0, 16).replace("T", " ")} UTC` : "undated");

/** Where a memory came from: who said it, in which conversation. */
function source(speaker: string | undefined, conversationId: string | undefined, titles: Map<string, string>) {
  const title = conversationId ? titles.get(conversationId) : undefined;
  const who = speaker ?? "";
  const where = title ? `in ${JSON.stringify(title)}` : "";
  return [who, where].filter(Boolean).join(" ") || "Engram";
}

/** One search hit as a line a model reads: kind and id, date, source, then the quoted text. */
export function describeHit(hit: SearchHit, titles: Map<string, string>): string {
  return `[${hit.kind} ${hit.id}] ${day(hit.at)}, ${source(hit.speaker, hit.conversationId, titles)}: ${quote(hit.text)}`;
}

/** One episode as a line a model reads. */
export function describeEpisode(episode: Episode, titles: Map<string, string>): string {
  const from = source(episode.speaker, episode.conversationId, titles);
  return `[episode ${episode.id}] ${day(episode.at)}, ${from}: ${quote(episode.text)}`;
}

/** "1 memory", "3 memories". */
export const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Where a fact came from: told directly (by the user or an app), or read from turns, and in which conversation. */
function factSource(fact: Fact, titles: Map<string, string>): string {
  if (fact.origin === "user") return "told directly";
  const conversationId = fact.sources.find((source) => source.conversationId)?.conversationId;
  const title = conversationId ? titles.get(conversationId) : undefined;
  const turns = count(fact.sources.length, "turn", "turns");
  return `learned from ${turns}${title ? ` in ${JSON.stringify(title)}` : ""}`;
}

/** Whether a fact holds now, and since or until when. */
function factState(fact: Fact): string {
  if (fact.status === "active") return fact.validFrom ? `current since ${day(fact.validFrom)}` : "current";
  if (fact.status === "superseded") {
    const until = fact.validTo ? ` on ${day(fact.validTo)}` : "";
    return `superseded${until}${fact.supersededBy ? ` by fact ${fact.supersededBy}` : ""}`;
  }
  return "deleted";
}

/** One fact as a line a model reads: id, whether it holds, the quoted statement, its parts and source. */
export function describeFact(fact: Fact, titles: Map<string, string>): string {
  const parts = `${fact.subject} · ${fact.predicate} · ${fact.object}`;
  return `[fact ${fact.id}] ${factState(fact)}: ${quote(fact.statement)} (${parts}; ${factSource(fact, titles)})`;
}
