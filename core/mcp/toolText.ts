import type { Episode, SearchHit } from "../api/index.ts";

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
