import { createStore, type StoreApi } from "zustand/vanilla";
import type { ApiClient } from "../api/apiClient.ts";
import { createChatSlice } from "../features/chat/chatSlice.ts";
import { createConversationsSlice } from "../features/chat/conversationsSlice.ts";
import { createGraphSlice } from "../features/graph/graphSlice.ts";
import { createEntitiesSlice } from "../features/memory/entitiesSlice.ts";
import { createFactsSlice } from "../features/memory/factsSlice.ts";
import { createEpisodesSlice } from "../features/memory/episodesSlice.ts";
import { createMemorySlice } from "../features/memory/memorySlice.ts";
import { createSummariesSlice } from "../features/memory/summariesSlice.ts";
import { createTimelineSlice } from "../features/memory/timelineSlice.ts";
import { createSetupSlice } from "../features/setup/setupSlice.ts";
import { createDataSlice } from "../features/settings/dataSlice.ts";
import { createModelsSlice } from "../features/settings/modelsSlice.ts";
import { createSettingsSlice } from "../features/settings/settingsSlice.ts";
import { createNavigationSlice, type Screen } from "../shell/navigationSlice.ts";
import { createNoticeSlice } from "../shell/noticeSlice.ts";
import type { AppState } from "./appState.ts";

export type AppStore = StoreApi<AppState>;

/** Builds the one store from its slices, all talking to the app through `client`. */
export function createAppStore(client: ApiClient, options: { screen?: Screen } = {}): AppStore {
  return createStore<AppState>()((...args) => ({
    ...createNoticeSlice()(...args),
    ...createNavigationSlice(options.screen)(...args),
    ...createConversationsSlice(client)(...args),
    ...createChatSlice(client)(...args),
    ...createModelsSlice(client)(...args),
    ...createSettingsSlice(client)(...args),
    ...createDataSlice(client)(...args),
    ...createMemorySlice(client)(...args),
    ...createEpisodesSlice(client)(...args),
    ...createFactsSlice(client)(...args),
    ...createEntitiesSlice(client)(...args),
    ...createSummariesSlice(client)(...args),
    ...createTimelineSlice(client)(...args),
    ...createSetupSlice()(...args),
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
    client.on("memory.changed", (payload) => store.getState().receiveMemoryChanged(payload)),
    client.on("memory.changed", (payload) => store.getState().receiveGraphMemoryChanged(payload)),
    client.on("jobs.progress", (payload) => store.getState().receiveJobProgress(payload)),
  ];
  return () => subscriptions.forEach((unsubscribe) => unsubscribe());
}

/** After the event stream was down, events may have been missed: reload what is on screen. */
export function reloadVisible(store: AppStore): void {
  const { selectedConversationId, loadConversations, loadMessages, loadModels, loadSettings } = store.getState();
  void loadConversations();
  void loadModels();
  void loadSettings();
  if (selectedConversationId) void loadMessages(selectedConversationId);
}
