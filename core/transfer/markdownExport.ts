import type { ConversationRow, EntityRow, EpisodeRow, FactRow, ImportRow, SummaryRow } from "../store/schema.ts";
import type { EngramExport } from "./engramExport.ts";

/** Import record sources as a reader knows them. */
const sourceLabels: Record<string, string> = {
  chatgpt: "ChatGPT",
  claude: "Claude",
  markdown: "a Markdown transcript",
  jsonl: "a JSONL file",
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const plural = (count: number, noun: string) => `${count.toLocaleString("en")} ${noun}${count === 1 ? "" : "s"}`;
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ");

interface Views {
  conversations: ConversationRow[];
  episodes: EpisodeRow[];
  archived: EpisodeRow[];
  summaries: SummaryRow[];
  imports: ImportRow[];
  facts: FactRow[];
  entities: EntityRow[];
}

/**
 * Memory as a document to read: the profile; what Engram knows by entity (each entity's facts, current ones first,
 * with the dates they hold and the conversations they came from; superseded ones struck through with their end date);
 * then every conversation with its dates, size, origin and summaries. Deleted facts and the turns themselves are left
 * to the JSON export, which holds everything.
 */
export function renderMarkdownExport(document: EngramExport): string {
  const rows = <T>(table: keyof EngramExport["tables"]) => (document.tables[table] ?? []) as unknown as T[];
  const views: Views = {
    conversations: rows<ConversationRow>("conversations"),
    episodes: rows<EpisodeRow>("episodes"),
    archived: rows<EpisodeRow>("episodes_archive"),
    summaries: rows<SummaryRow>("summaries"),
    imports: rows<ImportRow>("imports"),
    facts: rows<FactRow>("facts").filter((fact) => fact.status !== "deleted"),
    entities: rows<EntityRow>("entities"),
  };
  const lines: string[] = ["# Engram memory", ""];
  lines.push(
    `Exported ${document.exportedAt.slice(0, 10)}: ${plural(views.conversations.length, "conversation")}, ` +
      `${plural(views.episodes.length + views.archived.length, "remembered turn")} ` +
      `(${views.archived.length} in the archive), ${plural(views.facts.length, "fact")}.`,
    "",
  );
  const profile = views.summaries.find((summary) => summary.kind === "profile");
  if (profile) lines.push("## About you", "", profile.text, "", `_Updated ${day(profile.updatedAt)}._`, "");
  lines.push(...factsByEntity(views), ...conversationList(views));
  return `${lines.join("\n").trimEnd()}\n`;
}

function factsByEntity(views: Views): string[] {
  if (views.facts.length === 0) return [];
  const entities = new Map(views.entities.map((entity) => [entity.id, entity]));
  // A merged entity's facts are told under the entity it was merged into.
  const survivor = (id: string) => {
    let entity = entities.get(id);
    for (let hops = 0; entity?.mergedInto && hops < 20; hops += 1) entity = entities.get(entity.mergedInto) ?? entity;
    return entity;
  };
  const titles = new Map(views.conversations.map((row) => [row.id, row.title]));
  const turnTimes = new Map([...views.episodes, ...views.archived].map((row) => [row.id, row.at]));
  const groups = new Map<string, { entity: EntityRow | undefined; name: string; facts: FactRow[] }>();
  for (const fact of views.facts) {
    const entity = survivor(fact.subjectId);
    const key = entity?.id ?? `subject:${fact.subject}`;
    const group = groups.get(key) ?? { entity, name: entity?.name ?? fact.subject, facts: [] };
    group.facts.push(fact);
    groups.set(key, group);
  }
  const lines = ["## What Engram knows, by entity", ""];
  for (const group of [...groups.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const aliases = group.entity ? (JSON.parse(group.entity.aliases) as string[]) : [];
    lines.push(`### ${oneLine(group.name)}${group.entity ? ` (${group.entity.type})` : ""}`, "");
    if (aliases.length > 0) lines.push(`Also called ${aliases.join(", ")}.`, "");
    const ordered = group.facts.sort(
      (a, b) =>
        Number(a.status !== "active") - Number(b.status !== "active") ||
        (a.validFrom ?? a.createdAt) - (b.validFrom ?? b.createdAt),
    );
    for (const fact of ordered) {
      const from = fact.validFrom ?? fact.createdAt;
      const when = fact.validTo !== null ? `${day(from)} to ${day(fact.validTo)}` : `since ${day(from)}`;
      const statement =
        fact.status === "superseded" ? `~~${oneLine(fact.statement)}~~ (superseded)` : oneLine(fact.statement);
      const sources = (JSON.parse(fact.sources) as { episodeId?: string; conversationId?: string }[])
        .map((source) => {
          const title = source.conversationId ? titles.get(source.conversationId) : undefined;
          const at = source.episodeId ? turnTimes.get(source.episodeId) : undefined;
          return [title ? `"${oneLine(title)}"` : null, at !== undefined ? day(at) : null].filter(Boolean).join(", ");
        })
        .filter(Boolean);
      const origin =
        fact.origin === "user" ? "told by you" : `from ${sources.length > 0 ? sources.join("; ") : "a conversation"}`;
      lines.push(
        `- ${statement} ${when[0]!.toUpperCase()}${when.slice(1)}; ${origin}.${fact.pinned ? " Pinned." : ""}`,
      );
    }
    lines.push("");
  }
  return lines;
}

function conversationList(views: Views): string[] {
  const count = (rows: EpisodeRow[]) => {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.conversationId, (counts.get(row.conversationId) ?? 0) + 1);
    return counts;
  };
  const hot = count(views.episodes);
  const archived = count(views.archived);
  const summaries = new Map<string, { conversation?: string; digests: SummaryRow[] }>();
  for (const summary of views.summaries) {
    if (!summary.conversationId) continue;
    const entry = summaries.get(summary.conversationId) ?? { digests: [] };
    if (summary.kind === "conversation") entry.conversation = summary.text;
    if (summary.kind === "digest") entry.digests.push(summary);
    summaries.set(summary.conversationId, entry);
  }
  const sources = new Map(views.imports.map((row) => [row.conversationId, sourceLabels[row.source] ?? row.source]));
  const lines = ["## Conversations", ""];
  const conversations = [...views.conversations].sort((a, b) => a.createdAt - b.createdAt);
  if (conversations.length === 0) lines.push("_None yet._", "");
  for (const conversation of conversations) {
    const inArchive = archived.get(conversation.id) ?? 0;
    const source = sources.get(conversation.id);
    lines.push(
      `### ${oneLine(conversation.title)}`,
      "",
      `${day(conversation.createdAt)} to ${day(conversation.updatedAt)} · ` +
        plural((hot.get(conversation.id) ?? 0) + inArchive, "turn") +
        (inArchive ? ` (${inArchive} archived)` : "") +
        (source ? ` · imported from ${source}` : ""),
      "",
    );
    const summary = summaries.get(conversation.id);
    if (summary?.conversation) lines.push(summary.conversation, "");
    const digests = summary?.digests.sort((a, b) => a.turnCount - b.turnCount) ?? [];
    for (const digest of digests) lines.push(`- Up to turn ${digest.turnCount}: ${oneLine(digest.text)}`);
    if (digests.length > 0) lines.push("");
  }
  return lines;
}
