import type { Entity, EntityType } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

export interface EntitiesSlice {
  entityType: EntityType | "";
  entityPage: { entities: Entity[]; total: number; offset: number } | null;
  entityError: string | null;
  setEntityType(type: EntityType | ""): void;
  loadEntities(offset?: number): Promise<void>;
  renameEntityInBrowser(id: string, name: string): Promise<boolean>;
  /** Opens the facts tab filtered to what is known about this entity. */
  showEntityFacts(entity: Entity): void;
}

export const entityPageSize = 100;

export const createEntitiesSlice =
  (client: ApiClient): SliceCreator<EntitiesSlice> =>
  (set, get) => ({
    entityType: "",
    entityPage: null,
    entityError: null,

    setEntityType(entityType) {
      set({ entityType });
      void get().loadEntities();
    },

    async loadEntities(offset = 0) {
      const { entityType } = get();
      try {
        const page = await client.call("entities.list", {
          ...(entityType ? { type: entityType } : {}),
          limit: entityPageSize,
          offset,
        });
        set({ entityPage: { ...page, offset }, entityError: null });
      } catch (error) {
        set({ entityError: error instanceof Error ? error.message : String(error) });
      }
    },

    async renameEntityInBrowser(id, name) {
      try {
        const renamed = await client.call("entities.rename", { id, name });
        set((state) => ({
          entityError: null,
          entityPage: state.entityPage && {
            ...state.entityPage,
            entities: state.entityPage.entities.map((entity) => (entity.id === id ? renamed : entity)),
          },
        }));
        return true;
      } catch (error) {
        set({ entityError: error instanceof Error ? error.message : String(error) });
        return false;
      }
    },

    showEntityFacts(entity) {
      set((state) => ({
        memoryTab: "facts",
        memoryHits: null,
        memoryHitsQuery: "",
        factFilter: { ...state.factFilter, entity: entity.name },
      }));
      void get().loadFacts();
    },
  });
