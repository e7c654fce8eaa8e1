/**
 * What the memory engine needs from models. core/memory and core/chat depend only on these interfaces; the runtime
 * (node-llama-cpp in its host process, transformers.js, an OpenAI-compatible endpoint) implements them, and tests
 * use scripted fakes.
 */

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A JSON schema in the subset node-llama-cpp's grammar supports (objects, arrays, strings, numbers, enums). */
export type JsonSchema = Record<string, unknown>;

export type GenerationPriority = "chat" | "background";

export interface GenerateOptions {
  /** Aborts generation; the promise then resolves with `stopped: true` and the text so far. */
  signal?: AbortSignal;
  maxTokens?: number;
  temperature?: number;
  /** Called with each piece of text as it is produced. */
  onToken?: (text: string) => void;
  /** Chat preempts background memory jobs; background work waits while the user chats. */
  priority?: GenerationPriority;
}

export interface GenerateResult {
  text: string;
  /** True when the signal aborted generation before the model finished. */
  stopped: boolean;
}

/** A chat model: generation with the model's own chat template, JSON-constrained calls, and its tokenizer. */
export interface ChatModel extends Tokenizer {
  /** Stable id of the loaded model (catalog id or file name); recorded with what it produced. */
  readonly id: string;
  /** Context window in tokens. */
  readonly contextSize: number;
  generate(messages: ChatMessage[], options?: GenerateOptions): Promise<GenerateResult>;
  /**
   * One short grammar-constrained call for a memory job: the output is guaranteed to parse as JSON matching
   * `schema` (node-llama-cpp's JSON-schema grammar). Returns the parsed value.
   */
  generateJson(messages: ChatMessage[], schema: JsonSchema, options?: GenerateOptions): Promise<unknown>;
}

export interface Tokenizer {
  countTokens(text: string): Promise<number>;
  /**
   * Tokens a whole prompt takes once rendered in the model's own chat template (markers, BOS), exactly as it would be
   * sent. Optional: a tokenizer without it has its per-message overhead estimated.
   */
  countPromptTokens?(messages: ChatMessage[]): Promise<number>;
}

/** A sentence embedder. Vectors are L2-normalised so a dot product is the cosine similarity. */
export interface Embedder {
  /** Stable id recorded with every stored vector (changing embedder re-embeds). */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}

/**
 * Supplies the current models. The engine asks each time it needs one, because the user can load, switch or unload
 * models (and the host can crash and restart) while the app runs.
 */
export interface ModelProvider {
  chatModel(): ChatModel | null;
  embedder(): Embedder | null;
}
