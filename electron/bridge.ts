import type { ContextBridge, IpcRenderer, IpcRendererEvent } from "electron";
import { isEventName, isMethodName, type BridgeReply, type EngramBridge } from "../core/api/index.ts";
import { eventChannel, methodChannel } from "./channels.ts";

/** The global name of the bridge in the renderer. */
export const bridgeKey = "engram";

/**
 * Builds the bridge over `ipcRenderer` without exposing it: names are checked against the contract before any IPC,
 * and listeners receive only the payload, never the IPC event (whose `sender` is the ipcRenderer itself).
 */
export function buildBridge(ipcRenderer: Pick<IpcRenderer, "invoke" | "on" | "removeListener">): EngramBridge {
  return Object.freeze({
    call(method: string, input: unknown): Promise<BridgeReply> {
      if (!isMethodName(method)) {
        const message = `There is no method ${JSON.stringify(method)}.`;
        return Promise.resolve({ ok: false, error: { code: "unknown_method", message } });
      }
      return ipcRenderer.invoke(methodChannel(method), input) as Promise<BridgeReply>;
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      if (!isEventName(event)) throw new TypeError(`There is no event ${JSON.stringify(event)}.`);
      if (typeof listener !== "function") throw new TypeError("The listener must be a function.");
      const channel = eventChannel(event);
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => void ipcRenderer.removeListener(channel, forward);
    },
  });
}

/** Exposes the bridge in the page's main world; the one thing the preload does. */
export function exposeBridge(
  contextBridge: ContextBridge,
  ipcRenderer: Pick<IpcRenderer, "invoke" | "on" | "removeListener">,
): void {
  contextBridge.exposeInMainWorld(bridgeKey, buildBridge(ipcRenderer));
}

export type { BridgeReply, EngramBridge };
