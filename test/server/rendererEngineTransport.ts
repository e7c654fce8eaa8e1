import type { Engine } from "../../core/engine.ts";
import { ApiClient } from "../../renderer/api/apiClient.ts";
import type { Transport } from "../../renderer/api/transport.ts";
import { connectEvents, createAppStore, type AppStore } from "../../renderer/store/appStore.ts";

/**
 * The renderer's store wired to a real engine the way a transport would: every call through `engine.dispatch` (the
 * contract's parsing and error mapping) and every event from the engine's bus, with the job queue running. Store
 * tests then assert what a user would see, against real memory.
 */
export function storeOnEngine(engine: Engine): { store: AppStore; client: ApiClient; dispose(): void } {
  const transport: Transport = {
    kind: "headless",
    call: (method, input) => engine.dispatch(method, structuredClone(input)),
    on: (event, listener) =>
      engine.events.onAny((name, payload) => {
        if (name === event) listener(structuredClone(payload));
      }),
    dispose: () => undefined,
  };
  const client = new ApiClient(transport);
  const store = createAppStore(client);
  const stop = connectEvents(client, store);
  return { store, client, dispose: stop };
}

/** Waits until `condition` holds, failing after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000, what = "the condition"): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > timeoutMs) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
