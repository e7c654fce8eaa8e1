import { EngramError } from "../errors.ts";
import type { EventBus } from "../eventBus.ts";
import {
  GenerateOutcome,
  HostReply,
  LoadedModelInfo,
  type GenerateRequest,
  type HostRequest,
  type LoadModelRequest,
} from "./hostProtocol.ts";
import type { HostProcess, HostSpawner } from "./hostSpawner.ts";

interface Pending {
  type: HostRequest["type"];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onToken?: (text: string) => void;
  /** The watchdog of this request: fires when the host has been silent on it for its deadline. */
  watchdog?: NodeJS.Timeout;
}

/**
 * How long the host may stay silent on a request before it is taken as hung (ms). Generous, since a large model on a
 * slow CPU takes minutes to read a long prompt before its first token; a reply's deadline restarts with every token.
 * A hung host is killed and restarted like a crashed one, and the request fails with model_crashed.
 */
export const defaultHostDeadlinesMs: Readonly<Partial<Record<HostRequest["type"], number>>> = {
  load: 10 * 60_000,
  unload: 60_000,
  generate: 5 * 60_000,
  countTokens: 60_000,
  loadEmbedder: 5 * 60_000,
  unloadEmbedder: 60_000,
  embed: 5 * 60_000,
};

/** The deadline of a request type the table does not name (one added later is watched too). */
const fallbackDeadlineMs = 5 * 60_000;

/** After killing a hung host, how long to wait for its exit before treating it as gone anyway. */
const exitAfterKillMs = 5_000;

/** Distributes Omit over the request union, so each variant keeps its own fields. */
type RequestBody<R> = R extends unknown ? Omit<R, "id"> : never;

export interface ModelHostClientOptions {
  spawner: HostSpawner;
  /** Receives "models.status" events (loading, ready, crashed). */
  events?: EventBus;
  /** Crashes tolerated within `crashWindowMs` before the client stops reloading the model automatically. */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** Per request type, the watchdog's deadline (defaults: `defaultHostDeadlinesMs`). */
  deadlinesMs?: Partial<Record<HostRequest["type"], number>>;
}

interface LoadedModel {
  modelId: string;
  options: LoadModelRequest;
  info: LoadedModelInfo;
}

const describe: Record<HostRequest["type"], string> = {
  load: "loading the model",
  unload: "unloading the model",
  generate: "generating a reply",
  abort: "stopping a reply",
  countTokens: "counting tokens",
  countPromptTokens: "counting tokens",
  loadEmbedder: "loading the embedder",
  unloadEmbedder: "unloading the embedder",
  embed: "embedding text",
};

/**
 * The app's side of the model host: starts the host process through a spawner, correlates requests and replies,
 * streams tokens, and survives the host dying. When the host exits unexpectedly every request in flight fails with
 * `model_crashed`, a new host is started and the model that was loaded is loaded again, so the next request works.
 */
export class ModelHostClient {
  readonly #spawner: HostSpawner;
  readonly #events: EventBus | undefined;
  readonly #maxCrashes: number;
  readonly #crashWindowMs: number;
  readonly #pending = new Map<number, Pending>();
  readonly #crashTimes: number[] = [];
  #nextId = 1;
  #process: HostProcess | undefined;
  #started: Promise<HostProcess> | undefined;
  #loaded: LoadedModel | undefined;
  /** Resolves once a reload after a crash has finished (successfully or not). */
  #recovering: Promise<void> | undefined;
  #disposed = false;
  #crashes = 0;
  readonly #deadlinesMs: Partial<Record<HostRequest["type"], number>>;
  /** Why the current host was killed by the watchdog (it hung), to say so instead of "was killed". */
  #hung: { host: HostProcess; reason: string } | undefined;

  constructor(options: ModelHostClientOptions) {
    this.#spawner = options.spawner;
    this.#events = options.events;
    this.#maxCrashes = options.maxCrashes ?? 3;
    this.#crashWindowMs = options.crashWindowMs ?? 60_000;
    this.#deadlinesMs = { ...defaultHostDeadlinesMs, ...options.deadlinesMs };
  }

  /** Host crashes seen so far. */
  get crashCount(): number {
    return this.#crashes;
  }

  /** Process id of the running host, if one is running (tests kill it to simulate a native crash). */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get loadedModel(): { modelId: string; info: LoadedModelInfo } | undefined {
    return this.#loaded && { modelId: this.#loaded.modelId, info: this.#loaded.info };
  }

  /** Loads a GGUF into the host (replacing any loaded one). Rejects with insufficient_memory when it cannot fit. */
  async loadModel(modelId: string, options: LoadModelRequest): Promise<LoadedModelInfo> {
    this.#loaded = undefined;
    this.#emitStatus("loading", modelId);
    try {
      const info = LoadedModelInfo.parse(await this.#request({ type: "load", options }));
      this.#loaded = { modelId, options, info };
      this.#emitStatus("ready", modelId);
      return info;
    } catch (error) {
      this.#emitStatus("none", null, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  async unloadModel(): Promise<void> {
    const wasLoaded = this.#loaded;
    this.#loaded = undefined;
    if (!this.#process) return;
    await this.#request({ type: "unload" });
    if (wasLoaded) this.#emitStatus("unloaded", null);
  }

  /** Generates with the loaded model; aborting the signal stops it and resolves with the text so far. */
  async generate(
    options: GenerateRequest,
    signal?: AbortSignal,
    onToken?: (text: string) => void,
  ): Promise<GenerateOutcome> {
    await this.#recovering;
    const id = this.#nextId++;
    const abort = () => void this.#post({ type: "abort", id: this.#nextId++, target: id });
    signal?.addEventListener("abort", abort, { once: true });
    try {
      return GenerateOutcome.parse(await this.#request({ type: "generate", options }, { id, onToken }));
    } finally {
      signal?.removeEventListener("abort", abort);
    }
  }

  async countTokens(text: string): Promise<number> {
    await this.#recovering;
    const value = (await this.#request({ type: "countTokens", text })) as { count: number };
    return value.count;
  }

  /** Sends any other request (embedder load/unload/embed) and returns the host's result value. */
  async call(body: RequestBody<Exclude<HostRequest, { type: "generate" | "abort" | "load" }>>): Promise<unknown> {
    await this.#recovering;
    return this.#request(body);
  }

  async #request(body: RequestBody<HostRequest>, extra: { id?: number; onToken?: (text: string) => void } = {}) {
    if (this.#disposed) throw new EngramError("internal", "The model host was already shut down.");
    const host = await this.#ensureStarted();
    const id = extra.id ?? this.#nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const pending: Pending = { type: body.type, resolve, reject, onToken: extra.onToken };
      this.#pending.set(id, pending);
      this.#watch(host, pending);
      host.postMessage({ ...body, id });
    });
  }

  /** (Re)arms the watchdog of a request: if the host says nothing on it for its deadline, the host is hung. */
  #watch(host: HostProcess, pending: Pending): void {
    if (pending.watchdog) clearTimeout(pending.watchdog);
    const deadline = this.#deadlinesMs[pending.type] ?? fallbackDeadlineMs;
    pending.watchdog = setTimeout(() => this.#killHung(host, pending.type, deadline), deadline);
    pending.watchdog.unref();
  }

  #killHung(host: HostProcess, type: HostRequest["type"], deadline: number): void {
    if (this.#process !== host || this.#hung?.host === host) return;
    const reason = `stopped responding (silent for ${Math.round(deadline / 1000)} s)`;
    console.error(`model host: ${reason} while ${describe[type]}; restarting it.`);
    this.#hung = { host, reason };
    host.kill();
    // A process that cannot even be killed (stuck in the kernel) must not hold the app: go on without its exit.
    setTimeout(() => this.#onExit(host, null, "SIGKILL"), exitAfterKillMs).unref();
  }

  async #post(request: HostRequest): Promise<void> {
    const host = this.#process;
    // An abort for a host that is gone has nothing to stop: the crash already failed the request.
    if (host) host.postMessage(request);
  }

  #ensureStarted(): Promise<HostProcess> {
    if (!this.#started) {
      this.#started = new Promise<HostProcess>((resolve, reject) => {
        const host = this.#spawner();
        let started = false;
        host.onMessage((raw) => {
          const reply = HostReply.safeParse(raw);
          if (!reply.success) return void console.error(`model host sent a malformed reply: ${reply.error.message}`);
          if (reply.data.type === "started") {
            started = true;
            resolve(host);
            return;
          }
          this.#receive(reply.data);
        });
        host.onExit((code, signal) => {
          if (!started) {
            reject(new EngramError("model_crashed", `The model host could not start (exit ${code ?? signal}).`));
          }
          this.#onExit(host, code, signal);
        });
        this.#process = host;
      });
      // A start failure is delivered to the request awaiting it; forgetting it lets the next request try again.
      this.#started.catch(() => {
        this.#started = undefined;
      });
    }
    return this.#started;
  }

  #receive(reply: Exclude<HostReply, { type: "started" }>): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    if (reply.type === "token") {
      if (this.#process) this.#watch(this.#process, pending);
      pending.onToken?.(reply.text);
      return;
    }
    clearTimeout(pending.watchdog);
    this.#pending.delete(reply.id);
    if (reply.type === "result") pending.resolve(reply.value);
    else pending.reject(new EngramError(reply.code, reply.message));
  }

  #onExit(host: HostProcess, code: number | null, signal: string | null): void {
    if (this.#process !== host) return;
    this.#process = undefined;
    this.#started = undefined;
    if (this.#disposed) return;
    this.#crashes++;
    const hung = this.#hung?.host === host ? this.#hung.reason : undefined;
    this.#hung = undefined;
    const how = hung ?? (signal ? `was killed (${signal})` : `exited with code ${code}`);
    const crashedDuringLoad = [...this.#pending.values()].some((pending) => pending.type === "load");
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      clearTimeout(pending.watchdog);
      pending.reject(
        new EngramError(
          "model_crashed",
          `The model process ${how} while ${describe[pending.type]}. ` +
            (crashedDuringLoad ? "This model may be damaged or too large." : "It is restarting; please try again."),
        ),
      );
    }
    const now = Date.now();
    this.#crashTimes.push(now);
    while (this.#crashTimes.length && (this.#crashTimes[0] ?? now) < now - this.#crashWindowMs)
      this.#crashTimes.shift();
    const loaded = this.#loaded;
    this.#loaded = undefined;
    if (!loaded || crashedDuringLoad) {
      this.#emitStatus("crashed", null, `The model process ${how}.`);
      return;
    }
    if (this.#crashTimes.length > this.#maxCrashes) {
      this.#emitStatus("crashed", loaded.modelId, `The model process ${how} repeatedly; the model was not reloaded.`);
      return;
    }
    this.#emitStatus("crashed", loaded.modelId, `The model process ${how}; restarting.`);
    this.#recovering = this.loadModel(loaded.modelId, loaded.options).then(
      () => undefined,
      // The failed reload is already reported as a status event; requests then fail with no_model.
      (error: unknown) => console.error(`model host: reload after crash failed: ${String(error)}`),
    );
  }

  #emitStatus(state: "none" | "loading" | "ready" | "crashed" | "unloaded", modelId: string | null, message?: string) {
    this.#events?.emit("models.status", { state, modelId, ...(message ? { message } : {}) });
  }

  /** Stops the host process; requests still in flight fail. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const host = this.#process;
    this.#process = undefined;
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      clearTimeout(pending.watchdog);
      pending.reject(new EngramError("cancelled", "The model host is shutting down."));
    }
    if (!host) return;
    await new Promise<void>((resolve) => {
      host.onExit(() => resolve());
      host.kill();
    });
  }
}
