import { createStore, type StoreApi } from "zustand/vanilla";
import type { ApiClient } from "../api/apiClient.ts";
import type { AppState } from "./appState.ts";
import { createChatSlice } from "./chatSlice.ts";
import { createConversationsSlice } from "./conversationsSlice.ts";
import { createGraphSlice } from "../features/graph/graphSlice.ts";
import { createModelsSlice } from "./modelsSlice.ts";
import { createNoticeSlice } from "./noticeSlice.ts";

export type AppStore = StoreApi<AppState>;

/** Builds the one store from its slices, all talking to the app through `client`. */
export function createAppStore(client: ApiClient): AppStore {
  return createStore<AppState>()((...args) => ({
    ...createNoticeSlice()(...args),
    ...createConversationsSlice(client)(...args),
    ...createChatSlice(client)(...args),
    ...createModelsSlice(client)(...args),
    ...createGraphSlice(client)(...args),
  }));
}

/** Feeds the app's events into the store; returns the function that stops it. */
export function connectEvents(client: ApiClient, store: AppStore): () => void {
  const subscriptions = [
    client.on("chat.token", (payload) => store.getState().receiveToken(payload)),
    client.on("chat.done", (payload) => store.getState().receiveDone(payload)),
    client.on("models.progress", (payload) => store.getState().receiveModelProgress(payload)),
    client.on("models.status", (payload) => store.getState().receiveModelStatus(payload)),
  ];
  return () => subscriptions.forEach((unsubscribe) => unsubscribe());
}

/** After the event stream was down, events may have been missed: reload what is on screen. */
export function reloadVisible(store: AppStore): void {
  const { selectedConversationId, loadConversations, loadMessages, loadModels } = store.getState();
  void loadConversations();
  void loadModels();
  if (selectedConversationId) void loadMessages(selectedConversationId);
}
