import { EventEmitter } from "node:events";
import type { EventName, EventPayload } from "./api/index.ts";

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;
export type AnyEventListener = (name: EventName, payload: unknown) => void;

/**
 * Typed publish/subscribe for the contract's events. Transports subscribe with `onAny` and forward everything;
 * every subscription returns its unsubscribe function, so an owner can dispose it.
 */
export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Every open window and event stream subscribes; a busy session legitimately has many.
    this.#emitter.setMaxListeners(0);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.#emitter.emit(name, payload);
    this.#emitter.emit("*", name, payload);
  }

  on<E extends EventName>(name: E, listener: EventListener<E>): () => void {
    this.#emitter.on(name, listener);
    return () => this.#emitter.off(name, listener);
  }

  onAny(listener: AnyEventListener): () => void {
    this.#emitter.on("*", listener);
    return () => this.#emitter.off("*", listener);
  }

  dispose(): void {
    this.#emitter.removeAllListeners();
  }
}
