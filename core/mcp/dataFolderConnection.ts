import { mkdir } from "node:fs/promises";
import type { CallResult } from "../boundary.ts";
import { Engine } from "../engine.ts";
import { toApiError } from "../errors.ts";
import type { ContractClient } from "./contractClient.ts";
import { HttpContractClient, ServerUnreachableError } from "./httpContractClient.ts";
import { readServerAdvert } from "./serverAdvert.ts";

/** What the connection needs of an engine it opens itself. */
export interface OwnEngine extends ContractClient {
  dispose(): Promise<void>;
}

export interface DataFolderConnectionOptions {
  dataDir: string;
  /**
   * How long an engine this connection opened itself stays open after its last call, in ms. Short, because while it
   * is open the data folder is held and the desktop app or `serve` cannot start on it.
   */
  idleMs?: number;
  /** How long to wait for an advert when the folder cannot be opened because an Engram is just starting on it. */
  advertWaitMs?: number;
  /** Opens the engine (tests pass their own); by default the engine with no models: MCP needs no chat model. */
  openEngine?: (dataDir: string) => Promise<OwnEngine>;
}

/**
 * The contract of the Engram on one data folder, for the MCP server. Each call goes to the app or `serve` when one
 * holds the folder (found by its advert, over loopback HTTP); otherwise the folder is opened here, for as long as
 * calls keep coming, and let go after `idleMs` so the app can start. Either way the same contract runs the call.
 */
export class DataFolderConnection implements ContractClient {
  readonly #dataDir: string;
  readonly #idleMs: number;
  readonly #advertWaitMs: number;
  readonly #openEngine: (dataDir: string) => Promise<OwnEngine>;
  #engine: Promise<OwnEngine> | null = null;
  #closing: Promise<void> = Promise.resolve();
  #inFlight = 0;
  readonly #calls = new Set<Promise<CallResult>>();
  #idleTimer: NodeJS.Timeout | null = null;
  #disposed = false;

  constructor(options: DataFolderConnectionOptions) {
    this.#dataDir = options.dataDir;
    this.#idleMs = options.idleMs ?? 5_000;
    this.#advertWaitMs = options.advertWaitMs ?? 5_000;
    this.#openEngine =
      options.openEngine ??
      (async (dataDir) => {
        await mkdir(dataDir, { recursive: true, mode: 0o700 });
        return Engine.open({ dataDir, lock: { purpose: "Engram's MCP server" } });
      });
  }

  /** Whether the last calls ran on an engine opened here (rather than on a server), for diagnostics and tests. */
  get holdsFolder(): boolean {
    return this.#engine !== null;
  }

  dispatch(method: string, rawInput: unknown): Promise<CallResult> {
    if (this.#disposed) {
      return Promise.resolve({ ok: false, error: { code: "cancelled", message: "The MCP server is stopping." } });
    }
    const running = this.#run(method, rawInput);
    this.#calls.add(running);
    void running.finally(() => this.#calls.delete(running));
    return running;
  }

  async #run(method: string, rawInput: unknown): Promise<CallResult> {
    this.#inFlight += 1;
    this.#stopIdleTimer();
    try {
      if (!this.#engine) {
        const served = await this.#tryServer(method, rawInput);
        if (served) return served;
      }
      let engine: OwnEngine;
      try {
        engine = await this.#ownEngine();
      } catch (error) {
        // The folder may be held by an Engram that has not written its advert yet (it is starting): wait for it.
        const served = await this.#waitForServer(method, rawInput);
        if (served) return served;
        throw error;
      }
      return await engine.dispatch(method, rawInput);
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0 && this.#engine) this.#startIdleTimer();
    }
  }

  /** Refuses further calls, lets the calls under way finish, then lets go of the data folder (finishing writes). */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await Promise.all(this.#calls);
    this.#stopIdleTimer();
    await this.#release();
  }

  /** The call's answer from the advertised server, or null when no server is live (nothing was sent then). */
  async #tryServer(method: string, rawInput: unknown): Promise<CallResult | null> {
    const advert = await readServerAdvert(this.#dataDir);
    if (!advert) return null;
    try {
      return await new HttpContractClient(advert).dispatch(method, rawInput);
    } catch (error) {
      if (error instanceof ServerUnreachableError) return null;
      throw error;
    }
  }

  async #waitForServer(method: string, rawInput: unknown): Promise<CallResult | null> {
    const deadline = Date.now() + this.#advertWaitMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const served = await this.#tryServer(method, rawInput);
      if (served) return served;
    }
    return null;
  }

  #ownEngine(): Promise<OwnEngine> {
    this.#engine ??= (async () => {
      await this.#closing;
      return this.#openEngine(this.#dataDir);
    })().catch((error: unknown) => {
      this.#engine = null;
      throw error;
    });
    return this.#engine;
  }

  #startIdleTimer(): void {
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.#inFlight === 0) void this.#release();
    }, this.#idleMs);
    // An idle timer must not keep the process alive after stdin closed.
    this.#idleTimer.unref();
  }

  #stopIdleTimer(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  #release(): Promise<void> {
    const engine = this.#engine;
    if (!engine) return this.#closing;
    this.#engine = null;
    this.#closing = this.#closing
      .then(() => engine)
      .then(
        (open) => open.dispose(),
        // It never opened: nothing to let go of (the call that opened it was told why).
        () => undefined,
      )
      .catch((error: unknown) => console.error("Engram MCP: closing the data folder failed:", error));
    return this.#closing;
  }
}
