import type { ApiError } from "./errors.ts";

/** The reply of every call: the same envelope the HTTP API sends, so the renderer handles both transports alike. */
export type BridgeReply = { ok: true; data: unknown } | { ok: false; error: ApiError };

/**
 * What the Electron preload exposes as `window.engram`, and all it exposes: a call per contract method (by name) and
 * event subscriptions that return their unsubscribe function. Declared here, once, for the preload and the renderer.
 */
export interface EngramBridge {
  call(method: string, input: unknown): Promise<BridgeReply>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
