import type { Reply, Transport } from "./transport.ts";

/**
 * What Electron's preload exposes as `window.engram` (electron/bridge.ts builds it; test/electron checks the two
 * declarations agree, since the renderer may import nothing but core/api).
 */
export interface EngramBridge {
  call(method: string, input: unknown): Promise<Reply>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** The bridge is already a transport; nothing to release, since the preload owns the IPC listeners. */
export function bridgeTransport(bridge: EngramBridge): Transport {
  return {
    call: (method, input) => bridge.call(method, input),
    on: (event, listener) => bridge.on(event, listener),
    dispose: () => undefined,
  };
}
