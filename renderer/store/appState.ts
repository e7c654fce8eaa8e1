import type { StateCreator } from "zustand";
import type { ChatSlice } from "./chatSlice.ts";
import type { ConversationsSlice } from "./conversationsSlice.ts";
import type { GraphSlice } from "../features/graph/graphSlice.ts";
import type { ModelsSlice } from "./modelsSlice.ts";
import type { NoticeSlice } from "./noticeSlice.ts";

/** The whole UI state: one store made of feature slices, each owning its state and the actions that change it. */
export type AppState = ConversationsSlice & ChatSlice & ModelsSlice & NoticeSlice & GraphSlice;

export type SliceCreator<Slice> = StateCreator<AppState, [], [], Slice>;
