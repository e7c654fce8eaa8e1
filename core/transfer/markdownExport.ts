import type { EngramExport } from "./engramExport.ts";

/** Import record sources as a reader knows them. */
const sourceLabels: Record<string, string> = {
  chatgpt: "ChatGPT",
  claude: "Claude",
  markdown: "a Markdown transcript",
  jsonl: "a JSONL file",
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Memory as a document to read: what Engram knows about the user (the profile), then every conversation with its
 * dates, its size, where it came from, and its running summary and summaries of summaries. Until the semantic level
 * (facts by entity) is stored, this is what memory knows in sentences; the JSON export holds everything.
 */
export function renderMarkdownExport(document: EngramExport): string {
  const lines: string[] = ["# Engram memory", ""];
  const hot = new Map<string, number>();
  const archived = new Map<string, number>();
  for (const episode of document.episodes) hot.set(episode.conversationId, (hot.get(episode.conversationId) ?? 0) + 1);
  for (const episode of document.archivedEpisodes) {
    archived.set(episode.conversationId, (archived.get(episode.conversationId) ?? 0) + 1);
  }
  lines.push(
    `Exported ${document.exportedAt.slice(0, 10)}: ${plural(document.conversations.length, "conversation")}, ` +
      `${plural(document.episodes.length + document.archivedEpisodes.length, "remembered turn")} ` +
      `(${document.archivedEpisodes.length} in the archive).`,
    "",
  );
  const profile = document.summaries.find((summary) => summary.kind === "profile");
  if (profile) lines.push("## About you", "", profile.text, "", `_Updated ${day(profile.updatedAt)}._`, "");

  const summaries = new Map<string, { conversation?: string; digests: { text: string; turnCount: number }[] }>();
  for (const summary of document.summaries) {
    if (!summary.conversationId) continue;
    const entry = summaries.get(summary.conversationId) ?? { digests: [] };
    if (summary.kind === "conversation") entry.conversation = summary.text;
    if (summary.kind === "digest") entry.digests.push({ text: summary.text, turnCount: summary.turnCount });
    summaries.set(summary.conversationId, entry);
  }
  const sources = new Map(document.imports.map((row) => [row.conversationId, sourceLabels[row.source] ?? row.source]));

  lines.push("## Conversations", "");
  const conversations = [...document.conversations].sort((a, b) => a.createdAt - b.createdAt);
  if (conversations.length === 0) lines.push("_None yet._", "");
  for (const conversation of conversations) {
    const turns = (hot.get(conversation.id) ?? 0) + (archived.get(conversation.id) ?? 0);
    const source = sources.get(conversation.id);
    lines.push(
      `### ${conversation.title.replace(/\n/g, " ")}`,
      "",
      `${day(conversation.createdAt)} to ${day(conversation.updatedAt)} · ${plural(turns, "turn")}` +
        `${archived.get(conversation.id) ? ` (${archived.get(conversation.id)} archived)` : ""}` +
        `${source ? ` · imported from ${source}` : ""}`,
      "",
    );
    const summary = summaries.get(conversation.id);
    if (summary?.conversation) lines.push(summary.conversation, "");
    for (const digest of summary?.digests.sort((a, b) => a.turnCount - b.turnCount) ?? []) {
      lines.push(`- Up to turn ${digest.turnCount}: ${digest.text}`);
    }
    if (summary?.digests.length) lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

const plural = (count: number, noun: string) => `${count.toLocaleString("en")} ${noun}${count === 1 ? "" : "s"}`;
