import type { EventName } from "../core/api/index.ts";
import type { CallResult } from "../core/boundary.ts";
import { toApiError } from "../core/errors.ts";
import type { EngineLike } from "../core/server/engineLike.ts";

/** An engine that can be disposed: what `Engine.open` resolves to, narrowed for tests. */
export type DisposableEngine = EngineLike & { dispose(): Promise<void> };

type OpeningState =
  | { kind: "opening" }
  | { kind: "open"; engine: DisposableEngine }
  | { kind: "failed"; error: unknown }
  | { kind: "disposed" };

/**
 * Stands in for the engine while it opens, so the window can appear at once instead of after the database and the
 * chat model have loaded (seconds with a large model). Calls made meanwhile wait and then run; subscriptions take
 * effect once the engine is open. If opening fails, every call answers that failure as `{ code, message }`, and the
 * caller of `opened` (main) tells the user.
 */
export class OpeningEngine implements EngineLike {
  #state: OpeningState = { kind: "opening" };
  /** Settles (never rejects) once opening succeeded or failed. */
  readonly #settled: Promise<void>;
  #disposing: Promise<void> | null = null;

  constructor(opening: Promise<DisposableEngine>) {
    this.#settled = opening.then(
      (engine) => {
        this.#state = { kind: "open", engine };
      },
      (error: unknown) => {
        this.#state = { kind: "failed", error };
      },
    );
  }

  /** Resolves with the open engine, or rejects with the reason it could not open. */
  async opened(): Promise<DisposableEngine> {
    await this.#settled;
    const state = this.#state;
    if (state.kind === "open") return state.engine;
    if (state.kind === "failed") throw state.error;
    throw new Error("The engine was disposed.");
  }

  async dispatch(method: string, rawInput: unknown): Promise<CallResult> {
    await this.#settled;
    const state = this.#state;
    if (state.kind === "open") return state.engine.dispatch(method, rawInput);
    if (state.kind === "failed") return { ok: false, error: toApiError(state.error) };
    return { ok: false, error: { code: "cancelled", message: "The app is closing." } };
  }

  readonly events: EngineLike["events"] = {
    onAny: (listener: (name: EventName, payload: unknown) => void) => {
      let unsubscribe: (() => void) | null = null;
      let cancelled = false;
      void this.#settled.then(() => {
        if (!cancelled && this.#state.kind === "open") unsubscribe = this.#state.engine.events.onAny(listener);
      });
      return () => {
        cancelled = true;
        unsubscribe?.();
      };
    },
  };

  /** Waits for opening to finish, then disposes the engine (which finishes its writes). Idempotent. */
  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      await this.#settled;
      const state = this.#state;
      this.#state = { kind: "disposed" };
      if (state.kind === "open") await state.engine.dispose();
    })();
    return this.#disposing;
  }
}
