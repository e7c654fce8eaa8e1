import { availableParallelism } from "node:os";
import {
  GgufInsights,
  LlamaChat,
  readGgufFileInfo,
  type ChatHistoryItem,
  type Llama,
  type LlamaContext,
  type LlamaGrammar,
  type LlamaModel,
} from "node-llama-cpp";
import { EngramError } from "../errors.ts";
import type {
  GenerateOutcome,
  GenerateRequest,
  HostSequence,
  LoadModelRequest,
  LoadedModelInfo,
} from "./hostProtocol.ts";
import { assessModelFit, sequencesPerContext } from "./modelFit.ts";

/** Default reply length cap; memory jobs ask for less. */
const defaultMaxTokens = 1024;

/** Tokens kept free at the end of the context: LlamaChat shifts when the next token index reaches its last slot. */
const contextSafetyTokens = 2;

/** Our prompts are sized to fit; should one not fit anyway, fail clearly rather than have parts of it dropped. */
function refuseContextShift(): never {
  throw new EngramError("bad_input", "The prompt does not fit this model's context, so it was not sent.");
}

/** Turns our role/content messages into node-llama-cpp's chat history, ending with the model turn to generate. */
export function toChatHistory(messages: GenerateRequest["messages"]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message) =>
    message.role === "system"
      ? { type: "system", text: message.content }
      : message.role === "user"
        ? { type: "user", text: message.content }
        : { type: "model", response: [message.content] },
  );
  // A trailing assistant message is a reply to continue; otherwise open an empty model turn to generate into.
  if (history.at(-1)?.type !== "model") history.push({ type: "model", response: [] });
  return history;
}

/**
 * One loaded GGUF inside the host: the model, a context with two sequences (chat and background, so memory jobs do
 * not evict the chat's cached prompt prefix) and a LlamaChat per sequence that applies the model's own chat template.
 * LlamaChat keeps each sequence's KV cache and only evaluates the tokens after the longest common prefix with what the
 * sequence already holds, which is what makes the stable memory prefix cheap on the second turn.
 */
export class LlamaSession {
  readonly #model: LlamaModel;
  readonly #context: LlamaContext;
  readonly #chats: Record<HostSequence, LlamaChat>;
  readonly #grammars = new Map<string, Promise<LlamaGrammar>>();
  readonly info: LoadedModelInfo;

  private constructor(model: LlamaModel, context: LlamaContext, info: LoadedModelInfo) {
    this.#model = model;
    this.#context = context;
    this.#chats = {
      chat: new LlamaChat({ contextSequence: context.getSequence() }),
      background: new LlamaChat({ contextSequence: context.getSequence() }),
    };
    this.info = { ...info, chatWrapper: this.#chats.chat.chatWrapper.wrapperName };
  }

  /** Checks the model fits, then loads it. Refuses with insufficient_memory rather than letting llama.cpp abort. */
  static async load(llama: Llama, options: LoadModelRequest): Promise<LlamaSession> {
    let insights: GgufInsights;
    try {
      insights = await GgufInsights.from(await readGgufFileInfo(options.modelPath, { logWarnings: false }), llama);
    } catch (error) {
      throw new EngramError(
        "model_load_failed",
        `Cannot read ${options.modelPath} as a GGUF model: ${message(error)}`,
        {
          cause: error,
        },
      );
    }
    if (!insights.isSupportedByLlamaCpp) {
      throw new EngramError(
        "model_load_failed",
        "This model's architecture is not supported by the bundled llama.cpp.",
      );
    }
    const ram = await llama.getRamState();
    const vram = llama.gpu === false ? { free: 0 } : await llama.getVramState();
    const gpuLayers =
      llama.gpu === false
        ? 0
        : await insights.configurationResolver.resolveModelGpuLayers("auto", { ignoreMemorySafetyChecks: false });
    const fit = assessModelFit(
      insights,
      { contextSize: options.contextSize, gpuLayers },
      { freeRam: Math.min(ram.free, options.maxRamBytes ?? Infinity), freeVram: vram.free },
    );
    // llama.cpp's workers spin while waiting, so oversubscribing cores is catastrophic: node-llama-cpp's default of 4
    // threads ran 50x slower on a 2-core machine. One core is left for the app itself (UI, database, this process).
    const threads = options.threads ?? Math.max(1, Math.min(llama.cpuMathCores, availableParallelism() - 1));
    let model: LlamaModel | undefined;
    try {
      model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: fit.gpuLayers });
      const context = await model.createContext({
        contextSize: fit.contextSize,
        sequences: sequencesPerContext,
        threads,
      });
      return new LlamaSession(model, context, {
        contextSize: context.contextSize,
        trainContextSize: model.trainContextSize,
        threads,
        gpu: String(llama.gpu),
        chatWrapper: "",
        ramBytes: fit.ramBytes,
      });
    } catch (error) {
      await model?.dispose();
      throw new EngramError("model_load_failed", `Loading the model failed: ${message(error)}`, { cause: error });
    }
  }

  /** Token count of plain text with the model's own tokenizer (special-token text is counted as plain text). */
  countTokens(text: string): number {
    return this.#model.tokenize(text, false).length;
  }

  /**
   * Tokens of a whole prompt rendered by the model's chat template, the way LlamaChat renders it before evaluating
   * (BOS, role markers and the opened model turn included).
   */
  countPromptTokens(messages: GenerateRequest["messages"]): number {
    const { contextText } = this.#chats.chat.chatWrapper.generateContextState({ chatHistory: toChatHistory(messages) });
    return contextText.tokenize(this.#model.tokenizer).length;
  }

  async generate(
    request: GenerateRequest,
    signal: AbortSignal,
    onToken: (text: string) => void,
  ): Promise<GenerateOutcome> {
    const chat = this.#chats[request.sequence];
    const sequence = chat.sequence;
    const grammar = request.jsonSchema ? await this.#grammarFor(request.jsonSchema) : undefined;
    // The prompt is sent whole or not at all: one that leaves no room for a reply is refused here instead of letting
    // node-llama-cpp drop parts of it (its context shift), and the reply is capped to the room left, so generation
    // never reaches the end of the context either.
    const room = this.#context.contextSize - this.countPromptTokens(request.messages) - contextSafetyTokens;
    if (room < 1) {
      throw new EngramError(
        "bad_input",
        `The prompt does not fit this model's context of ${this.#context.contextSize} tokens, so it was not sent.`,
      );
    }
    const meterBefore = sequence.tokenMeter.getState();
    let text = "";
    let stopReason: string;
    try {
      const response = await chat.generateResponse(toChatHistory(request.messages), {
        signal,
        stopOnAbortSignal: true,
        maxTokens: Math.min(request.maxTokens ?? defaultMaxTokens, room),
        contextShift: { strategy: refuseContextShift },
        temperature: request.temperature ?? 0,
        ...(grammar ? { grammar } : {}),
        onTextChunk: (chunk) => {
          text += chunk;
          onToken(chunk);
        },
      });
      text = response.response;
      stopReason = response.metadata.stopReason;
    } catch (error) {
      // Aborting before the first token throws the signal's reason instead of returning a partial reply.
      if (!signal.aborted) throw error;
      stopReason = "abort";
    }
    const meterAfter = sequence.tokenMeter.getState();
    const generated = meterAfter.usedOutputTokens - meterBefore.usedOutputTokens;
    const evaluatedPrompt = Math.max(0, meterAfter.usedInputTokens - meterBefore.usedInputTokens - generated);
    const promptTokens = Math.max(evaluatedPrompt, sequence.nextTokenIndex - generated);
    return {
      text,
      stopped: stopReason === "abort",
      stopReason,
      promptTokens,
      generatedTokens: generated,
      reusedPromptTokens: Math.max(0, promptTokens - evaluatedPrompt),
    };
  }

  #grammarFor(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.#grammars.get(key);
    if (!grammar) {
      grammar = this.#model.llama.createGrammarForJsonSchema(schema as never).catch((error: unknown) => {
        this.#grammars.delete(key);
        throw new EngramError("bad_input", `The JSON schema cannot be turned into a grammar: ${message(error)}`);
      });
      // Memory jobs reuse a handful of schemas; compiling each once keeps per-job latency down.
      this.#grammars.set(key, grammar);
    }
    return grammar;
  }

  async dispose(): Promise<void> {
    this.#chats.chat.dispose();
    this.#chats.background.dispose();
    await this.#context.dispose();
    await this.#model.dispose();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
