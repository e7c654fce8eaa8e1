import type { IpcMainInvokeEvent, WebContents } from "electron";
import { isAppUrl } from "./appProtocol.ts";

/**
 * Builds the check every IPC call passes: the message must come from the app window's own web contents, from its top
 * frame (not an iframe), showing a page of the app itself. Anything else (a sub-frame, another window, a page that
 * somehow navigated away) is refused.
 */
export function createSenderCheck(
  appContents: () => Pick<WebContents, "id"> | null,
): (event: Pick<IpcMainInvokeEvent, "sender" | "senderFrame">) => boolean {
  return (event) => {
    const contents = appContents();
    const frame = event.senderFrame;
    if (!contents || !frame) return false;
    return event.sender.id === contents.id && frame.parent === null && isAppUrl(frame.url);
  };
}
