import type { Fact, FactStatus, HistoryEntry } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

/** The facts tab's filters; empty strings mean "any". Dates are ISO days, compared with a fact's validity. */
export interface FactFilter {
  entity: string;
  status: FactStatus | "all" | "";
  from: string;
  to: string;
}

export const noFactFilter: FactFilter = { entity: "", status: "", from: "", to: "" };

export interface FactsSlice {
  factFilter: FactFilter;
  /** The facts listed (filtered by entity, status and the search words), or null until loaded. */
  factPage: { facts: Fact[]; total: number; offset: number } | null;
  /** The change history of each fact whose history is open. */
  factHistory: Record<string, HistoryEntry[]>;
  factError: string | null;
  setFactFilter(change: Partial<FactFilter>): void;
  loadFacts(offset?: number): Promise<void>;
  /** Saves a correction of a fact's sentence and object; it then stays as the user wrote it. */
  editFact(id: string, change: { statement?: string; object?: string }): Promise<boolean>;
  pinFact(id: string, pinned: boolean): Promise<void>;
  removeFact(id: string): Promise<void>;
  restoreFact(id: string): Promise<void>;
  loadFactHistory(id: string): Promise<void>;
  closeFactHistory(id: string): void;
  /** Reverts one logged change of a fact (refused when the fact changed since). */
  undoFactChange(factId: string, entryId: string): Promise<boolean>;
}

export const factPageSize = 100;

/** Whether a fact held at some time in [from, to] (ISO days; either may be empty). */
export function factInRange(fact: Fact, from: string, to: string): boolean {
  const start = (fact.validFrom ?? fact.createdAt).slice(0, 10);
  const end = fact.validTo?.slice(0, 10) ?? "9999-12-31";
  return (!to || start <= to) && (!from || end >= from);
}

export const createFactsSlice =
  (client: ApiClient): SliceCreator<FactsSlice> =>
  (set, get) => {
    const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

    /** Puts the engine's answer in place of the fact wherever it is shown. */
    const replace = (fact: Fact) =>
      set((state) => ({
        factPage: state.factPage && {
          ...state.factPage,
          facts: state.factPage.facts.map((shown) => (shown.id === fact.id ? fact : shown)),
        },
        memoryFactHits: state.memoryFactHits?.map((shown) => (shown.id === fact.id ? fact : shown)) ?? null,
        focusedMemories: state.focusedMemories && {
          ...state.focusedMemories,
          facts: state.focusedMemories.facts.map((shown) => (shown.id === fact.id ? fact : shown)),
        },
      }));

    /** Runs a change of a fact, shows its result, and refreshes an open history. */
    const change = async (id: string, run: () => Promise<Fact>): Promise<boolean> => {
      set({ factError: null });
      try {
        replace(await run());
      } catch (error) {
        set({ factError: describe(error) });
        return false;
      }
      if (get().factHistory[id]) await get().loadFactHistory(id);
      return true;
    };

    return {
      factFilter: noFactFilter,
      factPage: null,
      factHistory: {},
      factError: null,

      setFactFilter(changes) {
        set((state) => ({ factFilter: { ...state.factFilter, ...changes } }));
        void get().loadFacts();
      },

      async loadFacts(offset = 0) {
        const { entity, status } = get().factFilter;
        try {
          const page = await client.call("facts.list", {
            ...(entity.trim() ? { entity: entity.trim() } : {}),
            ...(status ? { status } : {}),
            limit: factPageSize,
            offset,
          });
          set({ factPage: { ...page, offset } });
        } catch (error) {
          set({ factError: describe(error) });
        }
      },

      editFact: (id, changes) => change(id, () => client.call("facts.update", { id, ...changes })),

      async pinFact(id, pinned) {
        await change(id, () => client.call("facts.update", { id, pinned }));
      },

      async removeFact(id) {
        await change(id, () => client.call("facts.delete", { id }));
      },

      async restoreFact(id) {
        await change(id, () => client.call("facts.restore", { id }));
      },

      async loadFactHistory(id) {
        try {
          const { entries } = await client.call("memory.history", { targetId: id });
          set((state) => ({ factHistory: { ...state.factHistory, [id]: entries } }));
        } catch (error) {
          set({ factError: describe(error) });
        }
      },

      closeFactHistory(id) {
        set((state) => {
          const { [id]: _closed, ...factHistory } = state.factHistory;
          return { factHistory };
        });
      },

      async undoFactChange(factId, entryId) {
        set({ factError: null });
        try {
          await client.call("memory.undo", { entryId });
        } catch (error) {
          set({ factError: describe(error) });
          await get().loadFactHistory(factId);
          return false;
        }
        try {
          replace(await client.call("facts.get", { id: factId }));
        } catch (error) {
          set({ factError: describe(error) });
        }
        await get().loadFactHistory(factId);
        return true;
      },
    };
  };
