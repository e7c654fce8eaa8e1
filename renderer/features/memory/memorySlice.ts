import type { EventPayload, SearchHit } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

export const memoryTabs = ["facts", "entities", "episodes", "summaries", "working", "timeline"] as const;
export type MemoryTab = (typeof memoryTabs)[number];

export interface MemorySlice {
  memoryTab: MemoryTab;
  /** What the memory browser's search box holds; Enter runs the search. */
  memoryQuery: string;
  /** The hits of the last search run, or null when no search is shown. */
  memoryHits: SearchHit[] | null;
  /** The query those hits answer (the box may have changed since). */
  memoryHitsQuery: string;
  memorySearching: boolean;
  /**
   * Memories the browser was asked to show (those a reply used), highlighted wherever they appear; null when the
   * browser is not focused on a set.
   */
  focusedMemoryIds: string[] | null;
  setMemoryTab(tab: MemoryTab): void;
  setMemoryQuery(query: string): void;
  runMemorySearch(): Promise<void>;
  clearMemorySearch(): void;
  /** Opens the memory browser on the given memories (from a reply's "memories used"). */
  openMemories(ids: string[]): void;
  closeFocusedMemories(): void;
  /** Memory changed somewhere (an ingest, an edit, background work): reloads what is on screen and affected. */
  receiveMemoryChanged(change: EventPayload<"memory.changed">): void;
}

/** How many hits one search shows. */
export const memorySearchLimit = 100;

export const createMemorySlice =
  (client: ApiClient): SliceCreator<MemorySlice> =>
  (set, get) => ({
    memoryTab: "episodes",
    memoryQuery: "",
    memoryHits: null,
    memoryHitsQuery: "",
    memorySearching: false,
    focusedMemoryIds: null,

    setMemoryTab: (memoryTab) => set({ memoryTab }),
    setMemoryQuery: (memoryQuery) => set({ memoryQuery }),

    async runMemorySearch() {
      const query = get().memoryQuery.trim();
      if (!query) {
        get().clearMemorySearch();
        return;
      }
      set({ memorySearching: true });
      try {
        const { hits } = await client.call("memory.search", { query, limit: memorySearchLimit });
        set({ memoryHits: hits, memoryHitsQuery: query });
      } catch (error) {
        get().showNotice(error);
      } finally {
        set({ memorySearching: false });
      }
    },

    clearMemorySearch: () => set({ memoryHits: null, memoryHitsQuery: "", memoryQuery: "" }),

    openMemories(ids) {
      set({ focusedMemoryIds: ids, screen: "memory" });
    },

    closeFocusedMemories: () => set({ focusedMemoryIds: null }),

    receiveMemoryChanged({ conversationId, kinds }) {
      const state = get();
      const touches = (conversation: string | null) => !conversationId || conversationId === conversation;
      if (
        kinds.includes("conversation") ||
        (conversationId && !state.conversations.some((c) => c.id === conversationId))
      ) {
        void state.loadConversations();
      }
      if (kinds.includes("episode")) {
        const page = state.episodeConversationId;
        if (page && state.episodePage && touches(page)) void state.loadEpisodes(page, state.episodePage.offset);
        // Reading every turn again is only worth it while the timeline or a date span is on screen.
        if (state.timelineEpisodes) {
          if (state.memoryTab === "timeline" || state.episodeDateRange) void state.loadTimeline();
          else set({ timelineEpisodes: null });
        }
        const open = state.selectedConversationId;
        if (open && touches(open) && state.transcripts[open]) void state.loadMessages(open);
      }
      if (kinds.includes("summary")) {
        for (const key of Object.keys(state.summariesByConversation)) {
          if (touches(key) || key === "") void state.loadSummaries(key === "" ? null : key);
        }
      }
    },
  });
