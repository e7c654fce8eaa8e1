import { EngramError } from "../errors.ts";
import { estimateTokens } from "./approximateTokenizer.ts";
import type { ChatMessage, ChatModel, GenerateOptions, GenerateResult, JsonSchema } from "./interfaces.ts";

export interface OpenAiChatModelOptions {
  /** e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8080/v1 (llama-server). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** The endpoint does not report its window; the prompt budget is what matters, so a safe default is used. */
  contextSize?: number;
  fetch?: typeof fetch;
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
    let text = "";
    try {
      const response = await this.#post({ messages, stream: true, ...sampling(options) }, options.signal);
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
      if (options.signal?.aborted) return { text, stopped: true };
      throw error;
    }
  }

  async generateJson(messages: ChatMessage[], schema: JsonSchema, options: GenerateOptions = {}): Promise<unknown> {
    const response = await this.#post(
      {
        messages,
        stream: false,
        ...sampling({ temperature: 0, ...options }),
        response_format: { type: "json_schema", json_schema: { name: "result", schema, strict: true } },
      },
      options.signal,
    );
    const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
    const content = body.choices?.[0]?.message?.content ?? "";
    try {
      return JSON.parse(content);
    } catch (error) {
      throw new EngramError("internal", `The endpoint's JSON reply did not parse: ${content.slice(0, 200)}`, {
        cause: error,
      });
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
      const detail = (await response.text()).slice(0, 300);
      throw new EngramError("model_load_failed", `The chat endpoint answered ${response.status}: ${detail}`);
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
