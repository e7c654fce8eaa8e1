import { useContext, useEffect } from "react";
import { AppStoreContext } from "../store/storeContext.ts";
import { hashOfScreen, screenFromHash } from "./navigationSlice.ts";

/**
 * Keeps the current screen in the address (`#/memory`): each change of screen is a history entry, so Back returns to
 * the previous screen, and a reload opens the same one.
 */
export function useScreenInAddress(): void {
  const store = useContext(AppStoreContext);
  useEffect(() => {
    if (!store) return;
    const fromAddress = () => {
      const screen = screenFromHash(window.location.hash);
      if (screen && screen !== store.getState().screen) store.getState().go(screen);
    };
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.screen !== previous.screen && screenFromHash(window.location.hash) !== state.screen) {
        window.history.pushState(null, "", hashOfScreen(state.screen));
      }
    });
    window.addEventListener("popstate", fromAddress);
    return () => {
      unsubscribe();
      window.removeEventListener("popstate", fromAddress);
    };
  }, [store]);
}
