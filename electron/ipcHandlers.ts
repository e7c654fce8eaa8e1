import type { IpcMain, IpcMainInvokeEvent, WebContents } from "electron";
import { methodNames, type MethodName } from "../core/api/index.ts";
import { toApiError } from "../core/errors.ts";
import type { EngineLike } from "../core/server/engineLike.ts";
import type { BridgeReply } from "./bridge.ts";
import { eventChannel, methodChannel } from "./channels.ts";

/**
 * Contract methods main answers itself instead of the engine (those that open a native window, such as
 * `app.chooseModelFile`). They take no input from the page.
 */
export type MainProcessHandlers = Partial<Record<MethodName, () => Promise<BridgeReply>>>;

/**
 * Registers one `ipcMain.handle` per contract method. Each refuses a sender that `isTrustedSender` rejects, passes the
 * raw input to the engine's dispatch (which parses it with the method's schema), or to main's own handler for the
 * few methods main serves, and always answers an envelope: an error thrown across IPC would lose its code. Returns
 * the function that removes every handler.
 */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, "handle" | "removeHandler">,
  engine: Pick<EngineLike, "dispatch">,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  mainHandlers: MainProcessHandlers = {},
): () => void {
  for (const method of methodNames) {
    const own = mainHandlers[method];
    ipcMain.handle(methodChannel(method), async (event, input): Promise<BridgeReply> => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: "forbidden", message: "This frame may not call the app." } };
      }
      try {
        return own ? await own() : await engine.dispatch(method, input);
      } catch (error) {
        return { ok: false, error: toApiError(error) };
      }
    });
  }
  return () => {
    for (const method of methodNames) ipcMain.removeHandler(methodChannel(method));
  };
}

/** Forwards every engine event to the window on its derived channel; returns the unsubscribe function. */
export function forwardEngineEvents(
  events: EngineLike["events"],
  target: Pick<WebContents, "send" | "isDestroyed">,
): () => void {
  return events.onAny((name, payload) => {
    if (!target.isDestroyed()) target.send(eventChannel(name), payload);
  });
}
