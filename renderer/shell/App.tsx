import { lazy, Suspense, useEffect } from "react";
import { ChatScreen } from "../features/chat/ChatScreen.tsx";
import { MemoryScreen } from "../features/memory/MemoryScreen.tsx";
import { SetupScreen } from "../features/setup/SetupScreen.tsx";
import { SettingsScreen } from "../features/settings/SettingsScreen.tsx";
import { useAppState } from "../store/storeContext.ts";
import { NavigationRail } from "./NavigationRail.tsx";
import { NoticeBar } from "./NoticeBar.tsx";
import { useGlobalShortcuts } from "./useGlobalShortcuts.ts";
import { useScreenInAddress } from "./useScreenInAddress.ts";
import "./shell.css";

// The graph brings a WebGL renderer and a layout worker: loaded only when the user opens it.
const GraphScreen = lazy(() =>
  import("../features/graph/GraphScreen.tsx").then((module) => ({ default: module.GraphScreen })),
);

/** The app: the navigation rail and the screen it selects, with the notice bar above every screen. */
export function App() {
  const screen = useAppState((state) => state.screen);
  const loadConversations = useAppState((state) => state.loadConversations);
  const loadModels = useAppState((state) => state.loadModels);
  const loadSettings = useAppState((state) => state.loadSettings);
  const offerSetupIfFirstRun = useAppState((state) => state.offerSetupIfFirstRun);
  useScreenInAddress();
  useGlobalShortcuts();

  useEffect(() => {
    void Promise.all([loadConversations(), loadModels(), loadSettings()]).then(offerSetupIfFirstRun);
  }, [loadConversations, loadModels, loadSettings, offerSetupIfFirstRun]);

  return (
    <div className="app-shell">
      <NavigationRail />
      <div className="screen" data-screen={screen}>
        <NoticeBar />
        {screen === "chat" ? <ChatScreen /> : null}
        {screen === "memory" ? <MemoryScreen /> : null}
        {screen === "settings" ? <SettingsScreen /> : null}
        {screen === "setup" ? <SetupScreen /> : null}
        {screen === "graph" ? (
          <Suspense fallback={<p className="screen-loading">Loading the memory graph…</p>}>
            <GraphScreen />
          </Suspense>
        ) : null}
      </div>
    </div>
  );
}
