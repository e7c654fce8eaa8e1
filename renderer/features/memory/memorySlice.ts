import type { Entity, Episode, EventPayload, Fact, SearchHit, Summary } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

export const memoryTabs = ["facts", "entities", "episodes", "summaries", "working", "timeline"] as const;
export type MemoryTab = (typeof memoryTabs)[number];

/** The memories a reply used, looked up by id, by kind. */
export interface FocusedMemories {
  facts: Fact[];
  episodes: Episode[];
  summaries: Summary[];
  /** Ids that are no longer found (deleted since, or only in the archive). */
  missing: string[];
}

export interface MemorySlice {
  memoryTab: MemoryTab;
  /** What the memory browser's search box holds; Enter runs the search. */
  memoryQuery: string;
  /** Turns and summaries the last search found (memory.search), or null when no search is shown. */
  memoryHits: SearchHit[] | null;
  /** Facts and entities the last search found (facts.list and entities.list with the same words). */
  memoryFactHits: Fact[] | null;
  memoryEntityHits: Entity[] | null;
  /** The query those hits answer (the box may have changed since). */
  memoryHitsQuery: string;
  memorySearching: boolean;
  /** The memories the browser was asked to show (those a reply used): ids, then what they are once looked up. */
  focusedMemoryIds: string[] | null;
  focusedMemories: FocusedMemories | null;
  setMemoryTab(tab: MemoryTab): void;
  setMemoryQuery(query: string): void;
  runMemorySearch(): Promise<void>;
  clearMemorySearch(): void;
  /** Opens the memory browser on the given memories (a reply's "memories used", from that reply's conversation). */
  openMemories(ids: string[], conversationId?: string): void;
  closeFocusedMemories(): void;
  /** Memory changed somewhere (an ingest, an edit, background work): reloads what is on screen and affected. */
  receiveMemoryChanged(change: EventPayload<"memory.changed">): void;
}

/** How many hits one search shows, per kind. */
export const memorySearchLimit = 100;

export const createMemorySlice =
  (client: ApiClient): SliceCreator<MemorySlice> =>
  (set, get) => {
    /** Finds what each id is: a turn, a fact or one of the conversation's summaries. */
    const lookUp = async (ids: string[], conversationId: string | undefined): Promise<FocusedMemories> => {
      const { episodes, missing } = await client.call("episodes.get", { ids });
      const facts: Fact[] = [];
      const rest: string[] = [];
      await Promise.all(
        missing.map(async (id) => {
          try {
            facts.push(await client.call("facts.get", { id }));
          } catch (error) {
            if ((error as { code?: string }).code !== "not_found") throw error;
            rest.push(id);
          }
        }),
      );
      const compact = await client.call("summaries.get", conversationId ? { conversationId } : {});
      const summaries = [compact.profile, compact.conversation, ...compact.digests].filter(
        (summary): summary is Summary => summary !== null && rest.includes(summary.id),
      );
      const order = (id: string) => ids.indexOf(id);
      facts.sort((a, b) => order(a.id) - order(b.id));
      return {
        episodes,
        facts,
        summaries,
        missing: rest.filter((id) => !summaries.some((summary) => summary.id === id)),
      };
    };

    return {
      memoryTab: "facts",
      memoryQuery: "",
      memoryHits: null,
      memoryFactHits: null,
      memoryEntityHits: null,
      memoryHitsQuery: "",
      memorySearching: false,
      focusedMemoryIds: null,
      focusedMemories: null,

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
          const [{ hits }, { facts }, { entities }] = await Promise.all([
            client.call("memory.search", { query, limit: memorySearchLimit }),
            client.call("facts.list", { query, status: "all", limit: memorySearchLimit }),
            client.call("entities.list", { query, limit: memorySearchLimit }),
          ]);
          set({
            // Facts are listed whole (to edit them) from facts.list; memory.search's fact hits would repeat them.
            memoryHits: hits.filter((hit) => hit.kind !== "fact"),
            memoryFactHits: facts,
            memoryEntityHits: entities,
            memoryHitsQuery: query,
          });
        } catch (error) {
          get().showNotice(error);
        } finally {
          set({ memorySearching: false });
        }
      },

      clearMemorySearch: () =>
        set({ memoryHits: null, memoryFactHits: null, memoryEntityHits: null, memoryHitsQuery: "", memoryQuery: "" }),

      openMemories(ids, conversationId) {
        set({ focusedMemoryIds: ids, focusedMemories: null, screen: "memory" });
        lookUp(ids, conversationId).then(
          (focused) => {
            if (get().focusedMemoryIds === ids) set({ focusedMemories: focused });
          },
          (error: unknown) => get().showNotice(error),
        );
      },

      closeFocusedMemories: () => set({ focusedMemoryIds: null, focusedMemories: null }),

      receiveMemoryChanged({ conversationId, kinds }) {
        const state = get();
        const touches = (conversation: string | null) => !conversationId || conversationId === conversation;
        const knownConversation = state.conversations.some((conversation) => conversation.id === conversationId);
        if (kinds.includes("conversation") || (conversationId && !knownConversation)) void state.loadConversations();
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
        if ((kinds.includes("fact") || kinds.includes("entity")) && state.screen === "memory") {
          if (state.factPage) void state.loadFacts(state.factPage.offset);
          if (state.entityPage) void state.loadEntities(state.entityPage.offset);
        }
      },
    };
  };
