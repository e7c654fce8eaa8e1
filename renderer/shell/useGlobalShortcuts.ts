import { useContext, useEffect } from "react";
import { AppStoreContext } from "../store/storeContext.ts";
import type { AppStore } from "../store/appStore.ts";
import { isLive } from "../features/chat/chatSlice.ts";

/** Every screen marks its search box with this attribute; Ctrl/Cmd+K focuses it. */
export const searchShortcutAttribute = "data-shortcut-search";

/** Focuses the current screen's search box, waiting a few frames for a screen that is just being shown. */
function focusSearch(framesLeft = 10): void {
  const box = document.querySelector<HTMLInputElement>(`.screen [${searchShortcutAttribute}]`);
  if (box) {
    box.focus();
    box.select();
  } else if (framesLeft > 0) {
    requestAnimationFrame(() => focusSearch(framesLeft - 1));
  }
}

/** The reply streaming in the open conversation, if any. */
function liveReplyId(store: AppStore): string | undefined {
  const { selectedConversationId, messagesByConversation } = store.getState();
  if (!selectedConversationId) return undefined;
  return messagesByConversation[selectedConversationId]?.findLast(
    (message) => message.role === "assistant" && isLive(message),
  )?.id;
}

/**
 * Keys that work anywhere in the app: Ctrl/Cmd+K searches (the current screen's search, or the memory browser's
 * where a screen has none), and Escape stops a reply that is streaming in the chat (unless a dialog is open, where
 * Escape closes the dialog).
 */
export function useGlobalShortcuts(): void {
  const store = useContext(AppStoreContext);
  useEffect(() => {
    if (!store) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey) && !event.altKey) {
        event.preventDefault();
        const { screen, go } = store.getState();
        if (screen === "settings" || screen === "setup") go("memory");
        focusSearch();
        return;
      }
      if (event.key === "Escape" && !event.defaultPrevented && store.getState().screen === "chat") {
        if (document.querySelector("dialog[open]")) return;
        const live = liveReplyId(store);
        if (live) {
          event.preventDefault();
          void store.getState().stop(live);
        }
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [store]);
}
