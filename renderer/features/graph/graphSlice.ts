import type { Entity, EntityType, EventPayload, Fact, MethodInput } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";
import { MemoryGraphModel } from "./graphModel.ts";
import { PositionMemory, type KeyValueStorage } from "./positionMemory.ts";

/** What the graph shows: the most important entities, one entity's neighbourhood, or everything. */
export type GraphScope =
  { kind: "overview" } | { kind: "around"; entityId: string; label: string; depth: number } | { kind: "everything" };

/** The facts about the selected entity, as facts.list answers for its name. */
export interface InspectedFacts {
  entityId: string;
  facts: Fact[];
  total: number;
  loading: boolean;
}

export interface GraphSlice {
  /** The one graphology instance the screen draws; changed in place, never replaced. */
  graphModel: MemoryGraphModel;
  /** Counts in-place changes of the model, so lists derived from it re-render. */
  graphRevision: number;
  graphLoading: boolean;
  graphError: string | null;
  graphScope: GraphScope;
  /** How many entities the overview asks for; grows as the user zooms in. */
  graphLimit: number;
  /** How many nodes the engine has for the current scope (the view may show fewer). */
  graphTotalNodes: number | null;
  /** "As it was on": a day (YYYY-MM-DD), or null for now. */
  graphAsOf: string | null;
  /** Kinds the user filtered out (hidden at once by the reducers; entity types are also left out of graph.get). */
  graphHiddenKinds: string[];
  graphSearch: string;
  /** Nodes on screen whose label contains the search. */
  graphMatches: string[];
  /** Entities named like the search, shown or not (entities.list). */
  graphSearchResults: Entity[];
  graphSelectedId: string | null;
  graphFacts: InspectedFacts | null;
  /** The edit in progress ("rename", "merge", ...), so its button waits. */
  graphBusy: string | null;
  /** Whether the graph screen is open (a change of memory then reloads it; else the next visit does). */
  graphVisible: boolean;
  setGraphVisible(visible: boolean): void;
  /** The memory changed (an extraction, an import, an edit elsewhere): an open graph reloads, once for a burst. */
  receiveGraphMemoryChanged(change: EventPayload<"memory.changed">): void;
  loadGraph(): Promise<void>;
  showOverview(): Promise<void>;
  /** Adds the next most important entities to the overview (zooming in asks for it). */
  showMore(): Promise<void>;
  showEverything(): Promise<void>;
  focusEntity(entityId: string, depth?: number): Promise<void>;
  setGraphAsOf(day: string | null): Promise<void>;
  toggleGraphKind(kind: string): Promise<void>;
  searchGraph(text: string): Promise<void>;
  selectGraphNode(id: string | null): Promise<void>;
  /** Entities named like `query`, for the merge and connect pickers. */
  findEntities(query: string): Promise<Entity[]>;
  renameEntity(id: string, name: string): Promise<boolean>;
  mergeEntity(sourceId: string, targetId: string): Promise<boolean>;
  connectEntities(sourceId: string, targetId: string, label: string): Promise<boolean>;
  deleteRelation(edgeId: string): Promise<boolean>;
  deleteFact(factId: string): Promise<boolean>;
}

/** The overview's first size: what matters in a big memory, and light enough for any machine to draw smoothly. */
export const overviewLimit = 300;
/** graph.get's largest page. */
const pageLimit = 5000;
const entityTypes: readonly string[] = ["person", "place", "organisation", "date", "thing"];
/** The kinds of memory change the graph shows. */
const graphKinds = new Set(["fact", "entity", "relation"]);
/** A burst of changes (an import, an extraction batch) reloads the graph once, this long after the last. */
const reloadDelayMs = 700;

/** The end of a day in the user's time zone, so "as it was on 3 March" includes what was learned on 3 March. */
const endOfDay = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** localStorage when the page has it (the app), else nothing (tests and odd embeddings). */
function pageStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    // Reading localStorage throws where storage is disabled; positions then last only as long as the page.
    return null;
  }
}

export const createGraphSlice =
  (client: ApiClient, storage: KeyValueStorage | null = pageStorage()): SliceCreator<GraphSlice> =>
  (set, get) => {
    const model = new MemoryGraphModel(new PositionMemory(storage));
    /** Only the newest graph.get may change the model: an older answer arriving late is dropped. */
    let loadSequence = 0;
    let reloadTimer: ReturnType<typeof setTimeout> | null = null;
    const bump = () => set((state) => ({ graphRevision: state.graphRevision + 1 }));

    const graphQuery = (): MethodInput<"graph.get"> => {
      const { graphScope, graphLimit, graphAsOf, graphHiddenKinds } = get();
      const types = entityTypes.filter((type) => !graphHiddenKinds.includes(type)) as EntityType[];
      return {
        ...(graphScope.kind === "around" ? { around: graphScope.entityId, depth: graphScope.depth } : {}),
        ...(graphScope.kind === "overview" ? { limit: graphLimit } : {}),
        ...(graphScope.kind === "everything" ? { limit: pageLimit } : {}),
        ...(graphAsOf ? { asOf: endOfDay(graphAsOf) } : {}),
        ...(types.length < entityTypes.length && types.length > 0 ? { types } : {}),
      };
    };

    /**
     * Asks graph.get for the current scope and applies the answer to the model. "Everything" is one page of the
     * largest size: a page carries only the edges between its own nodes, so pages of a bigger graph would lose edges.
     */
    const load = async (replace: boolean) => {
      const sequence = ++loadSequence;
      set({ graphLoading: true, graphError: null });
      try {
        const answer = await client.call("graph.get", graphQuery());
        if (sequence !== loadSequence) return;
        model.apply(answer, { replace });
        set({ graphTotalNodes: answer.totalNodes });
        const selected = get().graphSelectedId;
        if (selected && !model.graph.hasNode(selected)) set({ graphSelectedId: null, graphFacts: null });
        matchSearch();
        bump();
      } catch (error) {
        if (sequence === loadSequence) set({ graphError: describe(error) });
      } finally {
        if (sequence === loadSequence) set({ graphLoading: false });
      }
    };

    /** Marks the nodes on screen whose label contains the search text. */
    const matchSearch = () => {
      const text = get().graphSearch.trim().toLowerCase();
      const matches = text
        ? model.graph.filterNodes((_node, attributes) => attributes.label.toLowerCase().includes(text))
        : [];
      set({ graphMatches: matches });
    };

    const loadFacts = async (entityId: string) => {
      if (!model.graph.hasNode(entityId)) return;
      const { label, kind } = model.graph.getNodeAttributes(entityId);
      set({ graphFacts: { entityId, facts: [], total: 0, loading: true } });
      try {
        // A value ("34", "vegetarian") is no entity: its facts are the ones whose text names it.
        const filter = kind === "value" ? { query: label } : { entity: label };
        const { facts, total } = await client.call("facts.list", { ...filter, limit: 100 });
        if (get().graphSelectedId === entityId) set({ graphFacts: { entityId, facts, total, loading: false } });
      } catch (error) {
        if (get().graphSelectedId === entityId) set({ graphFacts: { entityId, facts: [], total: 0, loading: false } });
        get().showNotice(error);
      }
    };

    /** Runs one edit: marks it busy, reports a refusal in the notice bar, and says whether it went through. */
    const edit = async (name: string, action: () => Promise<void>): Promise<boolean> => {
      set({ graphBusy: name });
      try {
        await action();
        return true;
      } catch (error) {
        get().showNotice(error);
        return false;
      } finally {
        set({ graphBusy: null });
      }
    };

    return {
      graphModel: model,
      graphRevision: 0,
      graphLoading: false,
      graphError: null,
      graphScope: { kind: "overview" },
      graphLimit: overviewLimit,
      graphTotalNodes: null,
      graphAsOf: null,
      graphHiddenKinds: [],
      graphSearch: "",
      graphMatches: [],
      graphSearchResults: [],
      graphSelectedId: null,
      graphFacts: null,
      graphBusy: null,
      graphVisible: false,

      setGraphVisible(visible) {
        set({ graphVisible: visible });
      },

      receiveGraphMemoryChanged({ kinds }) {
        if (!get().graphVisible || !kinds.some((kind) => graphKinds.has(kind))) return;
        if (reloadTimer) clearTimeout(reloadTimer);
        reloadTimer = setTimeout(() => {
          reloadTimer = null;
          if (get().graphVisible) void load(true);
        }, reloadDelayMs);
      },

      loadGraph: () => load(true),

      async showOverview() {
        set({ graphScope: { kind: "overview" }, graphLimit: overviewLimit });
        await load(true);
      },

      async showMore() {
        const { graphScope, graphLimit, graphTotalNodes, graphLoading } = get();
        if (graphScope.kind !== "overview" || graphLoading) return;
        if (graphTotalNodes !== null && graphLimit >= graphTotalNodes) return;
        set({ graphLimit: Math.min(pageLimit, graphLimit * 2) });
        await load(false);
      },

      async showEverything() {
        set({ graphScope: { kind: "everything" } });
        await load(true);
      },

      async focusEntity(entityId, depth = 1) {
        const label = model.graph.hasNode(entityId)
          ? model.graph.getNodeAttribute(entityId, "label")
          : (get().graphSearchResults.find((entity) => entity.id === entityId)?.name ?? entityId);
        set({ graphScope: { kind: "around", entityId, label, depth } });
        await load(true);
        if (model.graph.hasNode(entityId)) await get().selectGraphNode(entityId);
      },

      async setGraphAsOf(day) {
        set({ graphAsOf: day });
        await load(true);
      },

      async toggleGraphKind(kind) {
        const hidden = get().graphHiddenKinds;
        set({ graphHiddenKinds: hidden.includes(kind) ? hidden.filter((item) => item !== kind) : [...hidden, kind] });
        // The reducers hide or show the kind at once; an entity type also changes what graph.get ranks and returns.
        if (entityTypes.includes(kind) && get().graphScope.kind !== "around") await load(true);
      },

      async searchGraph(text) {
        set({ graphSearch: text });
        matchSearch();
        const query = text.trim();
        if (!query) {
          set({ graphSearchResults: [] });
          return;
        }
        try {
          const { entities } = await client.call("entities.list", { query, limit: 20 });
          if (get().graphSearch === text) set({ graphSearchResults: entities });
        } catch (error) {
          get().showNotice(error);
        }
      },

      async selectGraphNode(id) {
        if (id === get().graphSelectedId) return;
        set({ graphSelectedId: id, graphFacts: null });
        if (id) await loadFacts(id);
      },

      async findEntities(query) {
        if (!query.trim()) return [];
        try {
          return (await client.call("entities.list", { query: query.trim(), limit: 20 })).entities;
        } catch (error) {
          get().showNotice(error);
          return [];
        }
      },

      renameEntity: (id, name) =>
        edit("rename", async () => {
          const entity = await client.call("entities.rename", { id, name });
          model.relabel(id, entity.name);
          const scope = get().graphScope;
          if (scope.kind === "around" && scope.entityId === id) set({ graphScope: { ...scope, label: entity.name } });
          matchSearch();
          bump();
          await loadFacts(id);
        }),

      mergeEntity: (sourceId, targetId) =>
        edit("merge", async () => {
          await client.call("entities.merge", { sourceId, targetId });
          const scope = get().graphScope;
          // The source is gone: a view around it now shows the entity it became part of.
          if (scope.kind === "around" && scope.entityId === sourceId) {
            set({ graphScope: { ...scope, entityId: targetId } });
          }
          set({ graphSelectedId: null, graphFacts: null });
          await load(true);
          if (model.graph.hasNode(targetId)) await get().selectGraphNode(targetId);
        }),

      connectEntities: (sourceId, targetId, label) =>
        edit("connect", async () => {
          const relation = await client.call("relations.create", { sourceId, targetId, label });
          if (model.graph.hasNode(relation.sourceId) && model.graph.hasNode(relation.targetId)) {
            model.apply(
              {
                nodes: [],
                edges: [{ ...relation, source: relation.sourceId, target: relation.targetId, kind: relation.kind }],
              },
              { replace: false },
            );
            bump();
          } else {
            await load(true);
          }
        }),

      deleteRelation: (edgeId) =>
        edit("delete", async () => {
          if (!model.graph.hasEdge(edgeId)) return;
          const { relation, factId } = model.graph.getEdgeAttributes(edgeId);
          if (relation === "fact" && factId) {
            await client.call("facts.delete", { id: factId });
            model.dropEdges(model.edgesOfFact(factId));
          } else {
            await client.call("relations.delete", { id: edgeId });
            model.dropEdges([edgeId]);
          }
          bump();
          const selected = get().graphSelectedId;
          if (selected) await loadFacts(selected);
        }),

      deleteFact: (factId) =>
        edit("delete", async () => {
          await client.call("facts.delete", { id: factId });
          model.dropEdges(model.edgesOfFact(factId));
          bump();
          const selected = get().graphSelectedId;
          if (selected) await loadFacts(selected);
        }),
    };
  };
