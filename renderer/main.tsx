import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ApiClient } from "./api/apiClient.ts";
import { pickTransport } from "./api/pickTransport.ts";
import { App } from "./shell/App.tsx";
import { MissingConnection } from "./shell/MissingConnection.tsx";
import { screenFromHash } from "./shell/navigationSlice.ts";
import { connectEvents, createAppStore, reloadVisible, type AppStore } from "./store/appStore.ts";
import { AppStoreContext } from "./store/storeContext.ts";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
let store: AppStore | null = null;
const transport = pickTransport({ onReconnect: () => store && reloadVisible(store) });

if (!transport) {
  root.render(<MissingConnection />);
} else {
  const client = new ApiClient(transport);
  store = createAppStore(client, { screen: screenFromHash(window.location.hash) ?? "chat" });
  const stopEvents = connectEvents(client, store);
  window.addEventListener("pagehide", () => {
    stopEvents();
    client.dispose();
  });
  root.render(
    <StrictMode>
      <AppStoreContext.Provider value={store}>
        <App />
      </AppStoreContext.Provider>
    </StrictMode>,
  );
}
