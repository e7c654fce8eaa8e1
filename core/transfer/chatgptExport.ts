import type { Readable } from "node:stream";
import { z } from "zod";
import { describeSchemaError } from "../boundary.ts";
import { BadInputError } from "../errors.ts";
import { fromEpochSeconds, type ImportedTurn, type SourceEvent } from "./importedConversation.ts";
import { jsonArrayItems } from "./jsonArrayItems.ts";

/**
 * The `conversations.json` of a ChatGPT data export: a list of conversations, each a tree of message nodes (`mapping`:
 * node id -> { message, parent, children }) in which editing a message or regenerating a reply starts a new branch;
 * `current_node` is the leaf of the branch the user last saw. Only the fields Engram reads are checked; the export
 * carries many more (model slugs, moderation results, plugin ids), which are left alone.
 */
const epochSeconds = z.number().nullish();

const ChatGptMessage = z.object({
  author: z.object({ role: z.string() }),
  create_time: epochSeconds,
  content: z.object({ content_type: z.string(), parts: z.array(z.unknown()).nullish() }),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  recipient: z.string().nullish(),
  weight: z.number().nullish(),
});

const ChatGptNode = z.object({
  message: ChatGptMessage.nullish(),
  parent: z.string().nullish(),
  children: z.array(z.string()).nullish(),
});

export const ChatGptConversation = z.object({
  id: z.string().min(1).nullish(),
  conversation_id: z.string().min(1).nullish(),
  title: z.string().nullish(),
  create_time: epochSeconds,
  update_time: epochSeconds,
  mapping: z.record(z.string(), ChatGptNode),
  current_node: z.string().nullish(),
});
export type ChatGptConversation = z.infer<typeof ChatGptConversation>;
type ChatGptNode = z.infer<typeof ChatGptNode>;
type ChatGptMessage = z.infer<typeof ChatGptMessage>;

/** Content kinds that are what was said; the rest are tool output, browsing, reasoning or custom instructions. */
const spokenContent = new Set(["text", "multimodal_text"]);
const speakers: Record<string, string> = { user: "user", assistant: "assistant" };

/** Reads a ChatGPT `conversations.json`; refuses it whole (BadInputError) if any conversation is malformed. */
export async function* readChatGptExport(input: Readable): AsyncGenerator<SourceEvent> {
  let index = 0;
  for await (const value of jsonArrayItems(input, "This ChatGPT conversations.json")) {
    index += 1;
    const parsed = ChatGptConversation.safeParse(value);
    if (!parsed.success) throw wrongShape(value, index, describeSchemaError(parsed.error));
    const conversation = parsed.data;
    const turns = currentBranch(conversation, index).flatMap((message) => {
      const turn = spokenTurn(message);
      return turn ? [turn] : [];
    });
    yield {
      kind: "conversation",
      id: conversation.conversation_id ?? conversation.id ?? null,
      title: conversation.title ?? null,
      createdAt: fromEpochSeconds(conversation.create_time),
      updatedAt: fromEpochSeconds(conversation.update_time),
    };
    if (turns.length > 0) yield { kind: "turns", turns };
  }
}

/**
 * The messages of the branch the user last saw, oldest first: from `current_node` up through the parents to the
 * root. Without a `current_node` (older exports), the newest leaf's branch.
 */
function currentBranch(conversation: ChatGptConversation, index: number): ChatGptMessage[] {
  const { mapping } = conversation;
  const where = `conversation ${index}${conversation.title ? ` ("${conversation.title}")` : ""}`;
  const leaf = conversation.current_node ?? newestLeaf(mapping);
  if (leaf === null) return [];
  if (!Object.hasOwn(mapping, leaf)) {
    throw new BadInputError(
      `This ChatGPT export is damaged: ${where} has current_node "${leaf}", which is not in its mapping.`,
    );
  }
  const branch: ChatGptMessage[] = [];
  const seen = new Set<string>();
  // Some exports give the root a parent id that names no node: the branch ends there.
  for (let id: string | null | undefined = leaf; id && Object.hasOwn(mapping, id); id = mapping[id]!.parent) {
    if (seen.has(id)) throw new BadInputError(`This ChatGPT export is damaged: the messages of ${where} form a loop.`);
    seen.add(id);
    const message = mapping[id]!.message;
    if (message) branch.push(message);
  }
  return branch.reverse();
}

function newestLeaf(mapping: Record<string, ChatGptNode>): string | null {
  let best: { id: string; at: number } | null = null;
  for (const [id, node] of Object.entries(mapping)) {
    if (node.children && node.children.length > 0) continue;
    const at = node.message?.create_time ?? 0;
    if (!best || at >= best.at) best = { id, at };
  }
  return best?.id ?? null;
}

/** The turn a message is, or null for what the user never saw as a turn (system, tools, hidden, empty). */
function spokenTurn(message: ChatGptMessage): ImportedTurn | null {
  const speaker = speakers[message.author.role];
  if (!speaker) return null;
  if (!spokenContent.has(message.content.content_type)) return null;
  if (message.recipient && message.recipient !== "all") return null; // a call to a tool, not a reply
  if (message.weight === 0 || message.metadata?.is_visually_hidden_from_conversation === true) return null;
  const text = (message.content.parts ?? [])
    .filter((part): part is string => typeof part === "string")
    .join("\n")
    .trim();
  if (!text) return null;
  return { speaker, text, at: fromEpochSeconds(message.create_time) };
}

/** Says what is wrong with a conversation, and which source it looks like when it is another kind of file. */
function wrongShape(value: unknown, index: number, problem: string): BadInputError {
  const keys = value && typeof value === "object" ? Object.keys(value) : [];
  if (keys.includes("chat_messages")) {
    return new BadInputError("This file looks like a Claude export, not a ChatGPT one: import it as Claude.");
  }
  if (keys.includes("speaker") && keys.includes("text")) {
    return new BadInputError("This file looks like JSON turns, not a ChatGPT export: import it as JSONL.");
  }
  return new BadInputError(`This is not a ChatGPT conversations.json: conversation ${index}: ${problem}.`);
}
