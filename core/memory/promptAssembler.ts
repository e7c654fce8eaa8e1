import { BadInputError } from "../errors.ts";
import type { ChatMessage, Tokenizer } from "../model/interfaces.ts";
import { asData, asDataLine, materialNotice, section } from "./promptSections.ts";
import { factLines, factsHeader, type PromptFact } from "./semantic/factsForPrompt.ts";

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
  /** Recalled facts (semantic memory), best first; their own section of the prompt, within `factShare`. */
  facts?: PromptFact[];
  /** The conversation so far, oldest first (not including the new user message). */
  recentTurns: ChatMessage[];
  userMessage: string;
  /** Tokens the whole prompt may take, chat template included. */
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

/** Share of what is left after the system prompt and the new message that the compact summaries may take. */
const compactShare = 0.5;
/** Share of what is left after the stable prefix and the new message that the conversation so far may take. */
const workingShare = 0.5;
/** Share of what is left after the working memory that the facts section may take (the turns get the rest). */
const factShare = 0.4;
/** Tokens for the chat template's own markers around each message (an estimate; see `measured` below). */
const perMessageOverhead = 8;
/** Assemblies tried against the model's exact count before giving up (each one shrinks by the overshoot). */
const maxAttempts = 4;

/**
 * Builds a prompt within the token budget. The stable prefix comes first (system prompt, user profile, digest and
 * running summary), so consecutive turns share it and the model's KV cache is reused; then the recalled memories
 * (best first, as many as fit), then as many recent turns as fit (newest kept), then the new message.
 *
 * What does not fit is left out in this order: recalled memories and summaries first, then the oldest turns of the
 * conversation; the system prompt and the new message are always kept, and when even they do not fit the prompt is
 * refused (bad_input) rather than sent. Parts are counted with the model's tokenizer; when the tokenizer can also
 * count a whole prompt in the model's chat template (`countPromptTokens`), that exact count decides, and an
 * assembly that overshoots is redone within a budget smaller by the overshoot.
 */
export async function assemblePrompt(inputs: PromptInputs, tokenizer: Tokenizer): Promise<AssembledPrompt> {
  let target = inputs.budgetTokens;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const prompt = await assembleWithin(inputs, target, tokenizer);
    const exact = tokenizer.countPromptTokens ? await tokenizer.countPromptTokens(prompt.messages) : prompt.tokens;
    if (exact <= inputs.budgetTokens) return { ...prompt, tokens: exact };
    target -= exact - inputs.budgetTokens + perMessageOverhead;
    if (target <= 0) break;
  }
  throw tooLong(inputs.budgetTokens);
}

function tooLong(budgetTokens: number): BadInputError {
  return new BadInputError(
    `The message does not fit the prompt budget of ${budgetTokens} tokens (the smaller of the budget in Settings ` +
      "and what the chat model's context leaves after room for the reply). Shorten the message, shorten the system " +
      "prompt, or use a model with a larger context.",
  );
}

async function assembleWithin(inputs: PromptInputs, budget: number, tokenizer: Tokenizer): Promise<AssembledPrompt> {
  const count = (text: string) => tokenizer.countTokens(text);
  let used = (await count(inputs.systemPrompt)) + (await count(inputs.userMessage)) + 2 * perMessageOverhead;
  if (used > budget) throw tooLong(inputs.budgetTokens);

  // The summaries come next in the stable prefix, as many as fit in their share (the profile first: it is about the
  // user across conversations, then the digest, then the running summary). Recalled and summarised text is data,
  // each part in its own section (core/memory/promptSections.ts); the notice saying so is counted once, when any is.
  const noticeCost = (await count(materialNotice)) + 1;
  const compactBudget = Math.floor((budget - used - noticeCost) * compactShare);
  const prefixParts: string[] = [];
  let compactUsed = 0;
  for (const part of [
    inputs.profile && section("profile", "What you know about the user:", asData(inputs.profile)),
    inputs.digest && section("earlier", "Earlier in this conversation:", asData(inputs.digest)),
    inputs.summary && section("recent", "Recently in this conversation:", asData(inputs.summary)),
  ]) {
    if (!part) continue;
    const cost = (await count(part)) + 1;
    if (compactUsed + cost > compactBudget) continue;
    prefixParts.push(part);
    compactUsed += cost;
  }
  used += compactUsed;
  let noticeCounted = prefixParts.length > 0;
  if (noticeCounted) used += noticeCost;

  // Working memory before recalled memories, so the model always sees the thread it is answering.
  const workingBudget = Math.floor((budget - used) * workingShare);
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

  // Facts before recalled turns: short, already distilled, current ones first (core/memory/semantic/factsForPrompt.ts).
  const factBudget = Math.floor((budget - used) * factShare);
  const factParts: string[] = [];
  const factIds: string[] = [];
  let factUsed = (await count(section("facts", factsHeader, ""))) + 1;
  for (const { id, line: text } of factLines(inputs.facts ?? [])) {
    const line = asDataLine(text);
    const cost = (await count(line)) + 1;
    if (factUsed + cost > factBudget) continue;
    factParts.push(line);
    factIds.push(id);
    factUsed += cost;
  }
  if (factParts.length > 0) used += factUsed + (noticeCounted ? 0 : noticeCost);
  noticeCounted ||= factParts.length > 0;

  const inWorkingMemory = new Set(working.map((turn) => turn.content));
  const memoryLines: string[] = [];
  const memoryIds: string[] = [...factIds];
  const header = "Memories that may be relevant (date, speaker: what was said):";
  let memoryUsed = (await count(section("memories", header, ""))) + 1;
  const noticeLeft = noticeCounted ? 0 : noticeCost;
  for (const memory of inputs.memories) {
    if (inWorkingMemory.has(memory.text)) continue;
    const line = asDataLine(`- [${new Date(memory.at).toISOString().slice(0, 10)}] ${memory.speaker}: ${memory.text}`);
    const cost = (await count(line)) + 1;
    if (used + noticeLeft + memoryUsed + cost > budget) continue; // A shorter memory further down may still fit.
    memoryLines.push(line);
    memoryIds.push(memory.id);
    memoryUsed += cost;
  }
  const remembered = [
    ...prefixParts,
    ...(factParts.length > 0 ? [section("facts", factsHeader, factParts.join("\n"))] : []),
    ...(memoryLines.length > 0 ? [section("memories", header, memoryLines.join("\n"))] : []),
  ];
  const system = [inputs.systemPrompt, ...(remembered.length > 0 ? [materialNotice, ...remembered] : [])].join("\n\n");
  if (memoryLines.length > 0) used += memoryUsed + noticeLeft;

  return {
    messages: [{ role: "system", content: system }, ...working, { role: "user", content: inputs.userMessage }],
    memoryIds,
    tokens: used,
    workingTurns: working.length,
  };
}
