import { CancelledError, EngramError } from "../errors.ts";
import type { GenerationScheduler } from "./generationScheduler.ts";
import type { ChatMessage, ChatModel, GenerateOptions, GenerateResult, JsonSchema } from "./interfaces.ts";
import type { ModelHostClient } from "./modelHostClient.ts";

/** Memory jobs are short; a JSON reply longer than this is a runaway, not an answer. */
const defaultJsonMaxTokens = 512;
/** Chat replies default to a lively but not random temperature; memory jobs are deterministic. */
const defaultChatTemperature = 0.7;

/**
 * A ChatModel backed by the GGUF loaded in the model host process. Generations go through the scheduler (chat ahead
 * of background); the chat priority uses the host's chat sequence so its stable prompt prefix stays in the KV cache
 * across turns, and background jobs use the other sequence so they do not evict it.
 */
export class HostedChatModel implements ChatModel {
  readonly id: string;
  readonly contextSize: number;
  readonly #client: ModelHostClient;
  readonly #scheduler: GenerationScheduler;

  constructor(options: { id: string; contextSize: number; client: ModelHostClient; scheduler: GenerationScheduler }) {
    this.id = options.id;
    this.contextSize = options.contextSize;
    this.#client = options.client;
    this.#scheduler = options.scheduler;
  }

  countTokens(text: string): Promise<number> {
    return this.#client.countTokens(text);
  }

  async countPromptTokens(messages: ChatMessage[]): Promise<number> {
    const value = (await this.#client.call({ type: "countPromptTokens", messages })) as { count: number };
    return value.count;
  }

  /**
   * Streams a reply with the model's chat template. A preempted background generation is restarted from the start,
   * so its onToken may see the beginning of the reply again; chat generations are never preempted.
   */
  async generate(messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerateResult> {
    const priority = options.priority ?? "chat";
    if (options.signal?.aborted) return { text: "", stopped: true };
    try {
      const outcome = await this.#scheduler.schedule(priority, options.signal, (signal) =>
        this.#client.generate(
          {
            sequence: priority,
            messages,
            maxTokens: options.maxTokens,
            temperature: options.temperature ?? defaultChatTemperature,
          },
          signal,
          options.onToken,
        ),
      );
      return { text: outcome.text, stopped: outcome.stopped };
    } catch (error) {
      // Stopped while it waited for the model (behind a background job being preempted): nothing was generated.
      if (error instanceof CancelledError && options.signal?.aborted) return { text: "", stopped: true };
      throw error;
    }
  }

  /** One grammar-constrained call; the reply is parsed JSON that follows `schema`. Defaults to background priority. */
  async generateJson(messages: ChatMessage[], schema: JsonSchema, options: GenerateOptions = {}): Promise<unknown> {
    const priority = options.priority ?? "background";
    if (options.signal?.aborted) throw new CancelledError();
    const outcome = await this.#scheduler.schedule(priority, options.signal, (signal) =>
      this.#client.generate(
        {
          sequence: priority,
          messages,
          maxTokens: options.maxTokens ?? defaultJsonMaxTokens,
          temperature: options.temperature ?? 0,
          jsonSchema: schema,
        },
        signal,
        options.onToken,
      ),
    );
    if (outcome.stopped) throw new CancelledError();
    try {
      // JSON.parse rather than node-llama-cpp's grammar.parse: its validator counts string length in UTF-16 units
      // and rejects grammar-valid output containing emoji; the grammar already guarantees the shape.
      return JSON.parse(outcome.text);
    } catch (error) {
      throw new EngramError(
        "internal",
        outcome.stopReason === "maxTokens"
          ? `The model's JSON reply was cut off at ${options.maxTokens ?? defaultJsonMaxTokens} tokens.`
          : `The model's JSON reply did not parse: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
}
