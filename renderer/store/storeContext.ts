import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { AppState } from "./appState.ts";
import type { AppStore } from "./appStore.ts";

export const AppStoreContext = createContext<AppStore | null>(null);

/** Selects one piece of the app state; the component re-renders only when that piece changes. */
export function useAppState<Selected>(selector: (state: AppState) => Selected): Selected {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error("useAppState must be used inside <AppStoreContext.Provider>.");
  return useStore(store, selector);
}
