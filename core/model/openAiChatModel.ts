import { CancelledError, EngramError } from "../errors.ts";
import { estimateTokens } from "./approximateTokenizer.ts";
import type { GenerationScheduler } from "./generationScheduler.ts";
import type { ChatMessage, ChatModel, GenerateOptions, GenerateResult, JsonSchema } from "./interfaces.ts";
import { OfflineError } from "./offlineError.ts";

export interface OpenAiChatModelOptions {
  /** e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8080/v1 (llama-server). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** The endpoint does not report its window; the prompt budget is what matters, so a safe default is used. */
  contextSize?: number;
  fetch?: typeof fetch;
  /** Offline mode: every call is refused (OfflineError) before anything is sent. */
  offline?: boolean;
  /**
   * Takes turns with other generations, chat first (a background job's request is aborted for a reply and sent
   * again after it), as with a local model: a local server often runs one request at a time.
   */
  scheduler?: GenerationScheduler;
}

/**
 * A ChatModel on an OpenAI-compatible endpoint (a local Ollama or llama-server the user already runs). Replies stream
 * over server-sent events; JSON calls ask for `response_format: json_schema` and the result is parsed either way.
 * Token counts are estimates, since such servers have no standard tokenize call.
 */
export class OpenAiChatModel implements ChatModel {
  readonly id: string;
  readonly contextSize: number;
  readonly #options: OpenAiChatModelOptions;
  readonly #fetch: typeof fetch;

  constructor(options: OpenAiChatModelOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
    this.id = `openai:${options.model}`;
    this.contextSize = options.contextSize ?? 8192;
  }

  async countTokens(text: string): Promise<number> {
    return estimateTokens(text);
  }

  async generate(messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerateResult> {
    if (options.signal?.aborted) return { text: "", stopped: true };
    if (this.#options.offline) throw new OfflineError();
    const scheduler = this.#options.scheduler;
    if (!scheduler) return this.#stream(messages, options, options.signal);
    try {
      return await scheduler.schedule(options.priority ?? "chat", options.signal, (signal) =>
        this.#stream(messages, options, signal),
      );
    } catch (error) {
      // Stopped while it waited its turn: nothing was sent.
      if (error instanceof CancelledError && options.signal?.aborted) return { text: "", stopped: true };
      throw error;
    }
  }

  async generateJson(messages: ChatMessage[], schema: JsonSchema, options: GenerateOptions = {}): Promise<unknown> {
    if (this.#options.offline) throw new OfflineError();
    const scheduler = this.#options.scheduler;
    if (!scheduler) return this.#json(messages, schema, options, options.signal);
    return scheduler.schedule(options.priority ?? "background", options.signal, (signal) =>
      this.#json(messages, schema, options, signal),
    );
  }

  async #stream(messages: ChatMessage[], options: GenerateOptions, signal: AbortSignal | undefined) {
    let text = "";
    try {
      const response = await this.#post({ messages, stream: true, ...sampling(options) }, signal);
      for await (const data of serverSentEvents(response)) {
        if (data === "[DONE]") break;
        const piece = (JSON.parse(data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta
          ?.content;
        if (piece) {
          text += piece;
          options.onToken?.(piece);
        }
      }
      return { text, stopped: false };
    } catch (error) {
      if (signal?.aborted) return { text, stopped: true };
      throw error;
    }
  }

  async #json(messages: ChatMessage[], schema: JsonSchema, options: GenerateOptions, signal: AbortSignal | undefined) {
    const response = await this.#post(
      {
        messages,
        stream: false,
        ...sampling({ temperature: 0, ...options }),
        response_format: { type: "json_schema", json_schema: { name: "result", schema, strict: true } },
      },
      signal,
    );
    const text = await response.text();
    try {
      const body = JSON.parse(text) as { choices?: { message?: { content?: string } }[] };
      return JSON.parse(body.choices?.[0]?.message?.content ?? "");
    } catch (error) {
      // What the endpoint said is not repeated: it may be long, and it is not ours to show.
      throw new EngramError("internal", "The chat endpoint's JSON reply did not parse.", { cause: error });
    }
  }

  async #post(body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<Response> {
    const url = `${this.#options.baseUrl.replace(/\/$/, "")}/chat/completions`;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: "POST",
        signal,
        headers: {
          "content-type": "application/json",
          ...(this.#options.apiKey ? { authorization: `Bearer ${this.#options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.#options.model, ...body }),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new EngramError("no_model", `The chat endpoint ${this.#options.baseUrl} cannot be reached.`, {
        cause: error,
      });
    }
    if (!response.ok) {
      // The body is dropped unread: what the endpoint says goes neither into the reply's error nor into the log.
      await response.body?.cancel();
      throw new EngramError("model_load_failed", `The chat endpoint refused the request (HTTP ${response.status}).`);
    }
    return response;
  }
}

function sampling(options: GenerateOptions): Record<string, number> {
  return {
    ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
  };
}

/** Yields the data field of each server-sent event in a streaming response. */
async function* serverSentEvents(response: Response): AsyncGenerator<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const data = event
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (data) yield data;
    }
  }
}
