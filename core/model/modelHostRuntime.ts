import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";
import { EngramError, NoModelError, toApiError } from "../errors.ts";
import type { HostReply, HostRequest, LoadModelRequest } from "./hostProtocol.ts";
import { LlamaSession } from "./llamaSession.ts";
import { TokenStream } from "./tokenStream.ts";
import { TransformersEmbedder } from "./transformersEmbedder.ts";

export type ReplySender = (reply: HostReply) => void;

/** Streamed text is sent at most this often (after the first piece, which goes at once): about a screen refresh. */
const tokenIntervalMs = 16;

/**
 * Everything the model host process does, independent of how messages reach it (Node IPC or Electron's parentPort).
 * Holds the llama.cpp backend, at most one chat model and at most one embedder.
 */
export class ModelHostRuntime {
  readonly #send: ReplySender;
  readonly #aborts = new Map<number, AbortController>();
  #llama: Promise<Llama> | undefined;
  #llamaGpu: boolean | undefined;
  #session: LlamaSession | undefined;
  #embedder: TransformersEmbedder | undefined;

  constructor(send: ReplySender) {
    this.#send = send;
  }

  /** Handles one request; every request gets exactly one result or error reply (generate also streams tokens). */
  async handle(request: HostRequest): Promise<void> {
    if (request.type === "abort") {
      this.#aborts.get(request.target)?.abort();
      this.#send({ type: "result", id: request.id, value: { aborted: this.#aborts.has(request.target) } });
      return;
    }
    try {
      const value = await this.#run(request);
      this.#send({ type: "result", id: request.id, value });
    } catch (error) {
      const { code, message } = toApiError(error);
      this.#send({ type: "error", id: request.id, code, message });
    }
  }

  async #run(request: Exclude<HostRequest, { type: "abort" }>): Promise<unknown> {
    switch (request.type) {
      case "load":
        return this.#load(request.options);
      case "unload":
        await this.#unload();
        return { unloaded: true };
      case "countTokens":
        return { count: this.#requireSession().countTokens(request.text) };
      case "countPromptTokens":
        return { count: this.#requireSession().countPromptTokens(request.messages) };
      case "generate": {
        const session = this.#requireSession();
        const controller = new AbortController();
        this.#aborts.set(request.id, controller);
        const stream = new TokenStream((text) => this.#send({ type: "token", id: request.id, text }), tokenIntervalMs);
        try {
          return await session.generate(request.options, controller.signal, (text) => stream.push(text));
        } finally {
          // Every streamed piece reaches the app before the result (or error) reply that ends the request.
          stream.flush();
          this.#aborts.delete(request.id);
        }
      }
      case "loadEmbedder": {
        await this.#embedder?.dispose();
        this.#embedder = undefined;
        this.#embedder = await TransformersEmbedder.load(request.options);
        return { dimensions: this.#embedder.dimensions };
      }
      case "unloadEmbedder":
        await this.#embedder?.dispose();
        this.#embedder = undefined;
        return { unloaded: true };
      case "embed": {
        if (!this.#embedder) throw new EngramError("no_model", "No embedder is loaded.");
        const vectors = await this.#embedder.embed(request.texts);
        // Plain arrays survive structured cloning and JSON serialisation alike, whichever transport carries them.
        return { vectors: vectors.map((vector) => Array.from(vector)) };
      }
    }
  }

  async #load(options: LoadModelRequest): Promise<unknown> {
    await this.#unload();
    const llama = await this.#backend(options.gpu);
    this.#session = await LlamaSession.load(llama, options);
    return this.#session.info;
  }

  async #unload(): Promise<void> {
    for (const controller of this.#aborts.values()) controller.abort();
    const session = this.#session;
    this.#session = undefined;
    await session?.dispose();
  }

  /** One llama.cpp backend per process; recreated only when the GPU choice changes. */
  async #backend(gpu: boolean): Promise<Llama> {
    if (this.#llama && this.#llamaGpu === gpu) return this.#llama;
    const previous = this.#llama;
    this.#llama = undefined;
    if (previous) await (await previous).dispose();
    // build "never": use the prebuilt binaries from npm; never compile or download anything at run time.
    this.#llama = getLlama({ build: "never", gpu: gpu ? "auto" : false, logLevel: LlamaLogLevel.error });
    this.#llamaGpu = gpu;
    // A failed backend start is reported to the load request that awaits it; forgetting it lets the next load retry.
    this.#llama.catch(() => {
      this.#llama = undefined;
    });
    return this.#llama;
  }

  #requireSession(): LlamaSession {
    if (!this.#session) throw new NoModelError();
    return this.#session;
  }

  async dispose(): Promise<void> {
    await this.#unload();
    await this.#embedder?.dispose();
    this.#embedder = undefined;
    if (this.#llama) await (await this.#llama).dispose();
    this.#llama = undefined;
  }
}
