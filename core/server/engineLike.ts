import type { EventName } from "../api/index.ts";
import type { CallResult } from "../boundary.ts";

/**
 * What a transport (headless HTTP server, Electron IPC) needs from the engine: the single dispatch entry and the event
 * bus. Transports depend on this narrow shape rather than on the Engine class, so they can be tested with a small fake
 * and so no transport can reach around the contract.
 */
export interface EngineLike {
  /** Parses `rawInput` with the method's schema, runs it, and maps every failure to `{ code, message }`. */
  dispatch(method: string, rawInput: unknown): Promise<CallResult>;
  readonly events: {
    /** Subscribes to every contract event; returns the unsubscribe function. */
    onAny(listener: (name: EventName, payload: unknown) => void): () => void;
  };
}
