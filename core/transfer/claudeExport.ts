import type { Readable } from "node:stream";
import { z } from "zod";
import { describeSchemaError } from "../boundary.ts";
import { BadInputError } from "../errors.ts";
import { parseDate, type ImportedTurn, type SourceEvent } from "./importedConversation.ts";
import { jsonArrayItems } from "./jsonArrayItems.ts";

/**
 * The `conversations.json` of a Claude (claude.ai) data export: a list of conversations, each with its messages in
 * order (`chat_messages`, sender "human" or "assistant"), the text both as `text` and as content blocks (text,
 * thinking, tool use and results). Newer exports link messages to their parent and name the current leaf, so an
 * edited branch can be told from the one the user kept. Only the fields Engram reads are checked.
 */
const date = z.string().refine((text) => parseDate(text) !== null, "not a date");

const ClaudeMessage = z.object({
  uuid: z.string().min(1),
  sender: z.string(),
  text: z.string().nullish(),
  content: z.array(z.object({ type: z.string(), text: z.string().nullish() })).nullish(),
  created_at: date.nullish(),
  parent_message_uuid: z.string().nullish(),
});

export const ClaudeConversation = z.object({
  uuid: z.string().min(1),
  name: z.string().nullish(),
  created_at: date,
  updated_at: date.nullish(),
  chat_messages: z.array(ClaudeMessage),
  current_leaf_message_uuid: z.string().nullish(),
});
type ClaudeConversation = z.infer<typeof ClaudeConversation>;
type ClaudeMessage = z.infer<typeof ClaudeMessage>;

const speakers: Record<string, string> = { human: "user", assistant: "assistant" };

/** Reads a Claude `conversations.json`; refuses it whole (BadInputError) if any conversation is malformed. */
export async function* readClaudeExport(input: Readable): AsyncGenerator<SourceEvent> {
  let index = 0;
  for await (const value of jsonArrayItems(input, "This Claude conversations.json")) {
    index += 1;
    const parsed = ClaudeConversation.safeParse(value);
    if (!parsed.success) throw wrongShape(value, index, describeSchemaError(parsed.error));
    const conversation = parsed.data;
    const turns = keptBranch(conversation).flatMap((message) => {
      const turn = spokenTurn(message);
      return turn ? [turn] : [];
    });
    yield {
      kind: "conversation",
      id: conversation.uuid,
      title: conversation.name?.trim() || null,
      createdAt: parseDate(conversation.created_at),
      updatedAt: parseDate(conversation.updated_at),
    };
    if (turns.length > 0) yield { kind: "turns", turns };
  }
}

/**
 * The messages the user kept: with a current leaf and parent links, the chain from that leaf up to the first
 * message; otherwise (older exports) every message in the order given.
 */
function keptBranch(conversation: ClaudeConversation): ClaudeMessage[] {
  const messages = conversation.chat_messages;
  const leaf = conversation.current_leaf_message_uuid;
  if (!leaf || !messages.some((message) => message.parent_message_uuid)) return messages;
  const byId = new Map(messages.map((message) => [message.uuid, message]));
  if (!byId.has(leaf)) return messages;
  const branch: ClaudeMessage[] = [];
  const seen = new Set<string>();
  for (let message = byId.get(leaf); message && !seen.has(message.uuid);) {
    seen.add(message.uuid);
    branch.push(message);
    message = message.parent_message_uuid ? byId.get(message.parent_message_uuid) : undefined;
  }
  return branch.reverse();
}

/** A message's spoken text: its text blocks (thinking and tool blocks are not what was said), else `text`. */
function spokenTurn(message: ClaudeMessage): ImportedTurn | null {
  const speaker = speakers[message.sender];
  if (!speaker) return null;
  const blocks = (message.content ?? []).filter((block) => block.type === "text" && block.text?.trim());
  const text = (
    blocks.length > 0 ? blocks.map((block) => block.text!.trim()).join("\n\n") : (message.text ?? "")
  ).trim();
  if (!text) return null;
  return { speaker, text, at: parseDate(message.created_at) };
}

function wrongShape(value: unknown, index: number, problem: string): BadInputError {
  const keys = value && typeof value === "object" ? Object.keys(value) : [];
  if (keys.includes("mapping")) {
    return new BadInputError("This file looks like a ChatGPT export, not a Claude one: import it as ChatGPT.");
  }
  if (keys.includes("speaker") && keys.includes("text")) {
    return new BadInputError("This file looks like JSON turns, not a Claude export: import it as JSONL.");
  }
  return new BadInputError(`This is not a Claude conversations.json: conversation ${index}: ${problem}.`);
}
