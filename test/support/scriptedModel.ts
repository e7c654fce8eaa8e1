import type {
  ChatMessage,
  ChatModel,
  Embedder,
  GenerateOptions,
  GenerateResult,
  JsonSchema,
  ModelProvider,
} from "../../core/model/interfaces.ts";
import { estimateTokens } from "../../core/model/approximateTokenizer.ts";
import type { ModelService } from "../../core/model/modelService.ts";
import { CancelledError } from "../../core/errors.ts";
import type { GenerationScheduler } from "../../core/model/generationScheduler.ts";
import type { Settings } from "../../core/api/index.ts";

/**
 * A deterministic stand-in for a chat model, for tests of memory logic only (the real runtime is tested on a real
 * GGUF). Replies are scripted by a function of the prompt; streaming yields one word per tick so a test can stop it
 * mid-way; JSON calls answer through `json`.
 */
export class ScriptedChatModel implements ChatModel {
  readonly id = "scripted-test-model";
  /** Context window in tokens; a test may set a small one to stand in for a small local model. */
  contextSize = 8192;
  readonly prompts: ChatMessage[][] = [];
  readonly jsonPrompts: ChatMessage[][] = [];
  reply: (messages: ChatMessage[]) => string;
  json: (messages: ChatMessage[], schema: JsonSchema) => unknown;
  /** Milliseconds between streamed words. */
  delayMs = 1;
  /** Milliseconds a JSON call (a memory job's) takes, unless its signal stops it first. */
  jsonDelayMs = 0;
  /** Milliseconds a JSON call takes to stop once its signal fires (a real model first finishes the batch it is on). */
  jsonStopLatencyMs = 0;
  /** JSON calls that ran to the end (a preempted one is counted when it runs again and finishes). */
  jsonCompleted = 0;
  /**
   * When set, generations take turns on one model through this scheduler, chat first, exactly as the real host
   * model's do (HostedChatModel), so a test can show chat preempting a slow memory job.
   */
  scheduler: GenerationScheduler | undefined;

  constructor(
    options: { reply?: (messages: ChatMessage[]) => string; json?: (messages: ChatMessage[]) => unknown } = {},
  ) {
    this.reply = options.reply ?? (() => "I remember that.");
    this.json = options.json ?? ((messages) => ({ summary: `Summary of: ${messages.at(-1)?.content.slice(0, 80)}` }));
  }

  async countTokens(text: string): Promise<number> {
    return estimateTokens(text);
  }

  async generate(messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerateResult> {
    if (!this.scheduler) return this.#stream(messages, options);
    try {
      return await this.scheduler.schedule(options.priority ?? "chat", options.signal, (signal) =>
        this.#stream(messages, { ...options, signal }),
      );
    } catch (error) {
      if (error instanceof CancelledError && options.signal?.aborted) return { text: "", stopped: true };
      throw error;
    }
  }

  async generateJson(messages: ChatMessage[], schema: JsonSchema, options: GenerateOptions = {}): Promise<unknown> {
    if (!this.scheduler) return this.#json(messages, schema, options.signal);
    return this.scheduler.schedule(options.priority ?? "background", options.signal, (signal) =>
      this.#json(messages, schema, signal),
    );
  }

  async #stream(messages: ChatMessage[], options: GenerateOptions): Promise<GenerateResult> {
    this.prompts.push(messages);
    const words = this.reply(messages).split(/(?<= )/);
    let text = "";
    for (const word of words) {
      if (options.signal?.aborted) return { text, stopped: true };
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (options.signal?.aborted) return { text, stopped: true };
      text += word;
      options.onToken?.(word);
    }
    return { text, stopped: false };
  }

  async #json(messages: ChatMessage[], schema: JsonSchema, signal: AbortSignal | undefined): Promise<unknown> {
    this.jsonPrompts.push(messages);
    if (this.jsonDelayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.jsonDelayMs);
        const stop = () => {
          clearTimeout(timer);
          setTimeout(() => reject(new CancelledError()), this.jsonStopLatencyMs);
        };
        if (signal?.aborted) stop();
        else signal?.addEventListener("abort", stop, { once: true });
      });
    }
    this.jsonCompleted += 1;
    return this.json(messages, schema);
  }
}

/** A model service around scripted models, with no downloads (the models.* methods refuse). */
export class ScriptedModelService implements ModelService, ModelProvider {
  chat: ChatModel | null;
  embedding: Embedder | null;
  readonly handlers: ModelService["handlers"];

  constructor(chat: ChatModel | null, embedding: Embedder | null = null) {
    this.chat = chat;
    this.embedding = embedding;
    const refuse = async (): Promise<never> => {
      throw new Error("Scripted models cannot be managed.");
    };
    this.handlers = {
      "models.list": async () => ({ models: [] }),
      "models.download": refuse,
      "models.cancel": refuse,
      "models.delete": refuse,
      "models.use": refuse,
      "models.import": refuse,
    };
  }

  chatModel(): ChatModel | null {
    return this.chat;
  }

  embedder(): Embedder | null {
    return this.embedding;
  }

  async applySettings(_settings: Settings): Promise<void> {}

  async dispose(): Promise<void> {}
}

/**
 * A deterministic embedder for tests: words hash to dimensions, and words listed as synonyms share one, so a test
 * can show vector recall finding what full-text search cannot ("dog" for "puppy").
 */
export class HashingEmbedder implements Embedder {
  readonly id = "hashing-test-embedder";
  readonly dimensions = 64;
  readonly #synonyms: Map<string, string>;
  calls = 0;

  constructor(synonyms: Record<string, string> = {}) {
    this.#synonyms = new Map(Object.entries(synonyms));
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls += 1;
    return texts.map((text) => {
      const vector = new Float32Array(this.dimensions);
      for (const raw of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        const word = this.#synonyms.get(raw) ?? raw;
        let hash = 0;
        for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
        vector[hash % this.dimensions]! += 1;
      }
      const norm = Math.hypot(...vector) || 1;
      return vector.map((value) => value / norm);
    });
  }
}
