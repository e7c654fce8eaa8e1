import type { BridgeReply } from "../../core/api/index.ts";

/** The reply envelope both transports deliver (IPC and HTTP send the same shape). */
export type Reply = BridgeReply;

/** How the client reaches the app: Electron's preload bridge or the headless server. */
export interface Transport {
  /** "desktop": Electron's preload bridge; "headless" (the default): the HTTP server of `npm run serve`. */
  readonly kind?: "desktop" | "headless";
  call(method: string, input: unknown): Promise<Reply>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Releases connections (the event stream). */
  dispose(): void;
}
