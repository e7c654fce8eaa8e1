import { BadInputError } from "../errors.ts";
import type { ChatMessage, Tokenizer } from "../model/interfaces.ts";

export interface PromptMemory {
  id: string;
  speaker: string;
  text: string;
  at: number;
}

export interface PromptInputs {
  systemPrompt: string;
  profile: string;
  digest: string;
  summary: string;
  /** Recalled memories, best first. */
  memories: PromptMemory[];
  /** The conversation so far, oldest first (not including the new user message). */
  recentTurns: ChatMessage[];
  userMessage: string;
  budgetTokens: number;
}

export interface AssembledPrompt {
  messages: ChatMessage[];
  /** Ids of the recalled memories that made it into the prompt. */
  memoryIds: string[];
  tokens: number;
  /** How many of the recent turns fit (the working memory). */
  workingTurns: number;
}

/** Share of what is left after the stable prefix and the new message that the conversation so far may take. */
const workingShare = 0.5;
/** Tokens for the chat template's own markers around each message. */
const perMessageOverhead = 8;

/**
 * Builds a prompt within the token budget. The stable prefix comes first (system prompt, user profile, digest and
 * running summary), so consecutive turns share it and the model's KV cache is reused; then the recalled memories
 * (best first, as many as fit), then as many recent turns as fit (newest kept), then the new message.
 */
export async function assemblePrompt(inputs: PromptInputs, tokenizer: Tokenizer): Promise<AssembledPrompt> {
  const count = (text: string) => tokenizer.countTokens(text);
  const prefixParts = [inputs.systemPrompt];
  if (inputs.profile) prefixParts.push(`What you know about the user: ${inputs.profile}`);
  if (inputs.digest) prefixParts.push(`Earlier in this conversation: ${inputs.digest}`);
  if (inputs.summary) prefixParts.push(`Recently in this conversation: ${inputs.summary}`);
  const prefix = prefixParts.join("\n\n");

  let used = (await count(prefix)) + (await count(inputs.userMessage)) + 2 * perMessageOverhead;
  if (used > inputs.budgetTokens) {
    throw new BadInputError(
      `The message and the memory summary need ${used} tokens, more than the prompt budget of ${inputs.budgetTokens}. Shorten the message or raise the budget in Settings.`,
    );
  }

  // Working memory first in priority, so the model always sees the thread it is answering.
  const workingBudget = Math.floor((inputs.budgetTokens - used) * workingShare);
  const working: ChatMessage[] = [];
  let workingUsed = 0;
  for (let i = inputs.recentTurns.length - 1; i >= 0; i -= 1) {
    const turn = inputs.recentTurns[i]!;
    const cost = (await count(turn.content)) + perMessageOverhead;
    if (workingUsed + cost > workingBudget) break;
    working.unshift(turn);
    workingUsed += cost;
  }
  used += workingUsed;

  const inWorkingMemory = new Set(working.map((turn) => turn.content));
  const memoryLines: string[] = [];
  const memoryIds: string[] = [];
  const header = "Memories that may be relevant (date, speaker: what was said):";
  let memoryUsed = await count(header);
  for (const memory of inputs.memories) {
    if (inWorkingMemory.has(memory.text)) continue;
    const line = `- [${new Date(memory.at).toISOString().slice(0, 10)}] ${memory.speaker}: ${memory.text}`;
    const cost = (await count(line)) + 1;
    if (used + memoryUsed + cost > inputs.budgetTokens) continue; // A shorter memory further down may still fit.
    memoryLines.push(line);
    memoryIds.push(memory.id);
    memoryUsed += cost;
  }
  const system = memoryLines.length > 0 ? `${prefix}\n\n${header}\n${memoryLines.join("\n")}` : prefix;
  if (memoryLines.length > 0) used += memoryUsed;

  return {
    messages: [{ role: "system", content: system }, ...working, { role: "user", content: inputs.userMessage }],
    memoryIds,
    tokens: used,
    workingTurns: working.length,
  };
}
