import type { EngramBridge } from "../../core/api/index.ts";
import type { Transport } from "./transport.ts";

export type { EngramBridge };

/** The bridge is already a transport; nothing to release, since the preload owns the IPC listeners. */
export function bridgeTransport(bridge: EngramBridge): Transport {
  return {
    kind: "desktop",
    call: (method, input) => bridge.call(method, input),
    on: (event, listener) => bridge.on(event, listener),
    dispose: () => undefined,
  };
}
