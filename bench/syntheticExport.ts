/**
 * A synthetic ChatGPT data export (conversations.json) for the import benchmark, written as it is generated so a
 * file of hundreds of megabytes never sits in memory. Each conversation has the shape of a real export: an empty
 * root, a system message, then user and assistant turns with their metadata, and one regenerated reply left on a
 * branch that is not current (as a real history has).
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { syntheticTurns } from "./syntheticTurns.ts";

export interface SyntheticExportOptions {
  turns: number;
  turnsPerConversation: number;
  /** Characters of an assistant reply, about (replies are several sentences; user turns one). */
  replyChars: number;
}

/** Writes the export to `path`; returns the conversations and the turns on their current branches. */
export async function writeSyntheticChatGptExport(
  path: string,
  options: SyntheticExportOptions,
): Promise<{ conversations: number; turns: number }> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const sentences = syntheticTurns(Number.MAX_SAFE_INTEGER, { seed: 11 });
  const sentence = () => sentences.next().value!.text;
  const reply = () => {
    let text = sentence();
    while (text.length < options.replyChars) text += ` ${sentence()}`;
    return text;
  };
  const start = Date.parse("2023-01-01T00:00:00Z") / 1000;
  let written = 0;
  let conversation = 0;
  out.write("[");
  while (written < options.turns) {
    const count = Math.min(options.turnsPerConversation, options.turns - written);
    const base = start + conversation * 3600;
    const mapping: Record<string, unknown> = {};
    const id = (n: number) =>
      `${conversation.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
    const node = (
      n: number,
      parent: string | null,
      role: string | null,
      text: string,
      at: number,
      children: string[],
    ) => {
      mapping[id(n)] = {
        id: id(n),
        message: role
          ? {
              id: id(n),
              author: { role, name: null, metadata: {} },
              create_time: at,
              update_time: null,
              content: { content_type: "text", parts: [text] },
              status: "finished_successfully",
              end_turn: role === "assistant" ? true : null,
              weight: role === "system" ? 0 : 1,
              metadata: role === "assistant" ? { model_slug: "gpt-4o", finish_details: { type: "stop" } } : {},
              recipient: "all",
            }
          : null,
        parent,
        children,
      };
    };
    node(0, null, null, "", base, [id(1)]);
    node(1, id(0), "system", "", base, [id(2)]);
    for (let turn = 0; turn < count; turn += 1) {
      const n = turn + 2;
      const role = turn % 2 === 0 ? "user" : "assistant";
      const children = turn + 1 < count ? [id(n + 1)] : [];
      // The first reply was regenerated once: the older reply is a sibling branch, not current.
      if (turn === 0 && count > 1) children.unshift(id(count + 2));
      node(n, id(n - 1), role, role === "user" ? sentence() : reply(), base + turn * 10, children);
    }
    if (count > 1) node(count + 2, id(2), "assistant", reply(), base + 5, []);
    const conversationId = id(0).slice(0, 8);
    const text = JSON.stringify({
      title: `Conversation ${conversation}`,
      create_time: base,
      update_time: base + count * 10,
      mapping,
      moderation_results: [],
      current_node: id(count + 1),
      plugin_ids: null,
      conversation_id: `bench-${conversationId}`,
      id: `bench-${conversationId}`,
      default_model_slug: "gpt-4o",
    });
    if (!out.write(`${conversation === 0 ? "" : ","}${text}`)) await once(out, "drain");
    written += count;
    conversation += 1;
  }
  out.end("]");
  await once(out, "finish");
  return { conversations: conversation, turns: written };
}
