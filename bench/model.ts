/**
 * `npm run bench:model -- --model FILE.gguf [--json] [--tokens N] [--runs N]`
 *
 * Measures, with the same prompt and settings, tokens/s and time to first token through Engram's model host (a
 * separate process, IPC per token) and through node-llama-cpp called directly in this process; then the second
 * turn's time to first token behind a ~2,000-token stable memory prefix, which the host's KV-cache reuse should make
 * much cheaper than the first. Never part of `npm test`; timings never fail anything.
 */
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { getLlama, LlamaChat, type ChatHistoryItem } from "node-llama-cpp";
import { forkHostSpawner } from "../core/model/hostSpawner.ts";
import type { HostChatMessage } from "../core/model/hostProtocol.ts";
import { toChatHistory } from "../core/model/llamaSession.ts";
import { sequencesPerContext } from "../core/model/modelFit.ts";
import { ModelHostClient } from "../core/model/modelHostClient.ts";
import type { z } from "zod";

type Message = z.infer<typeof HostChatMessage>;

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    json: { type: "boolean", default: false },
    tokens: { type: "string", default: "128" },
    runs: { type: "string", default: "7" },
    "context-size": { type: "string", default: "4096" },
  },
});
if (!values.model) {
  console.error("usage: npm run bench:model -- --model FILE.gguf [--json] [--tokens N] [--runs N]");
  process.exit(2);
}
const modelPath = values.model;
const maxTokens = Number(values.tokens);
const runs = Number(values.runs);
const contextSize = Number(values["context-size"]);

const prompt: Message[] = [
  { role: "system", content: "You are Engram, a private assistant that remembers what the user tells it." },
  { role: "user", content: "Once upon a time, in a small village by the sea, there lived a girl who" },
];

interface Sample {
  ttftMs: number;
  tokPerSec: number;
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? NaN;

function summarise(samples: Sample[]): Sample {
  return { ttftMs: median(samples.map((s) => s.ttftMs)), tokPerSec: median(samples.map((s) => s.tokPerSec)) };
}

/** Tokens/s over the decode phase (first token to last), so prompt evaluation does not blur the generation rate. */
function rate(tokens: number, firstAt: number, endAt: number): number {
  return tokens > 1 ? (tokens - 1) / ((endAt - firstAt) / 1000) : 0;
}

async function benchEngine(client: ModelHostClient): Promise<Sample> {
  const started = performance.now();
  let firstAt = 0;
  const outcome = await client.generate(
    { sequence: "chat", messages: prompt, maxTokens, temperature: 0 },
    undefined,
    () => {
      if (!firstAt) firstAt = performance.now();
    },
  );
  const endAt = performance.now();
  return { ttftMs: firstAt - started, tokPerSec: rate(outcome.generatedTokens, firstAt, endAt) };
}

async function benchRaw(chat: LlamaChat, history: ChatHistoryItem[]): Promise<Sample> {
  const started = performance.now();
  let firstAt = 0;
  let tokens = 0;
  await chat.generateResponse(history, {
    maxTokens,
    temperature: 0,
    onToken: (chunk) => {
      if (!firstAt) firstAt = performance.now();
      tokens += chunk.length;
    },
  });
  return { ttftMs: firstAt - started, tokPerSec: rate(tokens, firstAt, performance.now()) };
}

async function ttft(client: ModelHostClient, messages: Message[]): Promise<number> {
  const started = performance.now();
  let firstAt = 0;
  await client.generate({ sequence: "chat", messages, maxTokens: 8, temperature: 0 }, undefined, () => {
    if (!firstAt) firstAt = performance.now();
  });
  return firstAt - started;
}

async function memoryPrefix(client: ModelHostClient, targetTokens: number): Promise<{ text: string; tokens: number }> {
  const facts = [
    "The user's sister Ana moved to Lisbon last spring and works as a marine biologist.",
    "The user prefers green tea in the morning and avoids coffee after noon.",
    "The user is training for a half marathon in October and runs on Tuesdays and Saturdays.",
    "The user's cat is called Miso and is afraid of the vacuum cleaner.",
  ];
  let text = "Summary of what you know about the user:\n";
  let index = 0;
  let tokens = 0;
  while (tokens < targetTokens) {
    text += `- (${index}) ${facts[index % facts.length]}\n`;
    index++;
    if (index % 20 === 0) tokens = await client.countTokens(text);
  }
  return { text, tokens: await client.countTokens(text) };
}

const client = new ModelHostClient({ spawner: forkHostSpawner() });
try {
  const info = await client.loadModel("bench", { modelPath, gpu: false, contextSize });

  const llama = await getLlama({ build: "never", gpu: false });
  const rawModel = await llama.loadModel({ modelPath, gpuLayers: 0 });
  // The same context settings as the host's: size, threads, and its two sequences (chat and background).
  const rawContext = await rawModel.createContext({
    contextSize: info.contextSize,
    threads: info.threads,
    sequences: sequencesPerContext,
  });
  const rawChat = new LlamaChat({ contextSequence: rawContext.getSequence() });
  const rawHistory = toChatHistory(prompt);

  // Warm up both paths once (page cache, thread pools), then alternate, swapping which goes first each run, so drift
  // and other load on the machine affect both equally. Every run starts from a chat sequence that does not hold the prompt and so
  // evaluates all of it, as a new conversation would.
  await benchEngine(client);
  await benchRaw(rawChat, rawHistory);
  const engineSamples: Sample[] = [];
  const rawSamples: Sample[] = [];
  const engineRun = async () => {
    // The host has no "clear" request: a short unrelated prompt replaces what the chat sequence holds.
    await client.generate({ sequence: "chat", messages: [{ role: "user", content: "reset" }], maxTokens: 1 });
    engineSamples.push(await benchEngine(client));
  };
  const rawRun = async () => {
    await rawChat.sequence.clearHistory();
    rawSamples.push(await benchRaw(rawChat, rawHistory));
  };
  for (let run = 0; run < runs; run++) {
    for (const measure of run % 2 === 0 ? [engineRun, rawRun] : [rawRun, engineRun]) await measure();
  }
  rawChat.dispose();
  await rawContext.dispose();
  await rawModel.dispose();
  await llama.dispose();
  const engine = summarise(engineSamples);
  const raw = summarise(rawSamples);

  const memory = await memoryPrefix(client, 2000);
  const system: Message = { role: "system", content: memory.text };
  const firstTurn: Message[] = [system, { role: "user", content: "What should I drink this afternoon?" }];
  const firstTurnTtftMs = await ttft(client, firstTurn);
  const secondTurnTtftMs = await ttft(client, [
    ...firstTurn,
    { role: "assistant", content: "Green tea, since you avoid coffee after noon." },
    { role: "user", content: "And how is my sister doing?" },
  ]);

  const result = {
    model: modelPath,
    cores: cpus().length,
    threads: info.threads,
    contextSize: info.contextSize,
    chatWrapper: info.chatWrapper,
    maxTokens,
    runs,
    engineTokPerSec: round(engine.tokPerSec),
    rawTokPerSec: round(raw.tokPerSec),
    engineRawRatio: round(engine.tokPerSec / raw.tokPerSec, 3),
    ttftMs: round(engine.ttftMs),
    rawTtftMs: round(raw.ttftMs),
    memoryPrefixTokens: memory.tokens,
    firstTurnTtftMs: round(firstTurnTtftMs),
    secondTurnTtftMs: round(secondTurnTtftMs),
    secondToFirstRatio: round(secondTurnTtftMs / firstTurnTtftMs, 3),
  };
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    console.log(`model ${modelPath}`);
    console.log(
      `${result.cores} cores, ${result.threads} threads, context ${result.contextSize}, ${result.chatWrapper}`,
    );
    console.table({
      "Engram host": { "tokens/s": result.engineTokPerSec, "TTFT ms": result.ttftMs },
      "node-llama-cpp direct": { "tokens/s": result.rawTokPerSec, "TTFT ms": result.rawTtftMs },
    });
    console.table({
      [`first turn (${memory.tokens}-token memory prefix)`]: { "TTFT ms": result.firstTurnTtftMs },
      "second turn (prefix cached)": { "TTFT ms": result.secondTurnTtftMs },
    });
    console.log(
      `engine/raw tokens/s ${result.engineRawRatio} (target >= 0.95); ` +
        `second/first TTFT ${result.secondToFirstRatio} (target <= 0.5)`,
    );
  }
} finally {
  await client.dispose();
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
