import type { StateCreator } from "zustand";
import type { ChatSlice } from "../features/chat/chatSlice.ts";
import type { ConversationsSlice } from "../features/chat/conversationsSlice.ts";
import type { GraphSlice } from "../features/graph/graphSlice.ts";
import type { EntitiesSlice } from "../features/memory/entitiesSlice.ts";
import type { FactsSlice } from "../features/memory/factsSlice.ts";
import type { EpisodesSlice } from "../features/memory/episodesSlice.ts";
import type { MemorySlice } from "../features/memory/memorySlice.ts";
import type { SummariesSlice } from "../features/memory/summariesSlice.ts";
import type { TimelineSlice } from "../features/memory/timelineSlice.ts";
import type { SetupSlice } from "../features/setup/setupSlice.ts";
import type { DataSlice } from "../features/settings/dataSlice.ts";
import type { ModelsSlice } from "../features/settings/modelsSlice.ts";
import type { SettingsSlice } from "../features/settings/settingsSlice.ts";
import type { NavigationSlice } from "../shell/navigationSlice.ts";
import type { NoticeSlice } from "../shell/noticeSlice.ts";

/** The whole UI state: one store made of feature slices, each owning its state and the actions that change it. */
export type AppState = NoticeSlice &
  NavigationSlice &
  ConversationsSlice &
  ChatSlice &
  ModelsSlice &
  SettingsSlice &
  DataSlice &
  MemorySlice &
  EpisodesSlice &
  FactsSlice &
  EntitiesSlice &
  SummariesSlice &
  TimelineSlice &
  SetupSlice &
  GraphSlice;

export type SliceCreator<Slice> = StateCreator<AppState, [], [], Slice>;
