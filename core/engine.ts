import { join } from "node:path";
import type { MethodName, MethodOutput } from "./api/index.ts";
import { call, dispatch, type CallResult, type Handlers } from "./boundary.ts";
import { EngramError, storageFailure } from "./errors.ts";
import { ChatTurns, type ChatRecall } from "./chat/chatTurns.ts";
import { EventBus } from "./eventBus.ts";
import { appHandlers } from "./handlers/appHandlers.ts";
import { chatHandlers } from "./handlers/chatHandlers.ts";
import { conversationHandlers } from "./handlers/conversationHandlers.ts";
import { episodeHandlers } from "./handlers/episodeHandlers.ts";
import { mcpHandlers } from "./handlers/mcpHandlers.ts";
import { memoryHandlers } from "./handlers/memoryHandlers.ts";
import { modelHandlers } from "./handlers/modelHandlers.ts";
import { summaryHandlers } from "./handlers/summaryHandlers.ts";
import { uiHandlers } from "./handlers/uiHandlers.ts";
import { entityHandlers } from "./handlers/entityHandlers.ts";
import { factHandlers } from "./handlers/factHandlers.ts";
import { graphHandlers } from "./handlers/graphHandlers.ts";
import { historyHandlers } from "./handlers/historyHandlers.ts";
import { relationHandlers } from "./handlers/relationHandlers.ts";
import { transferHandlers } from "./handlers/transferHandlers.ts";
import { ForegroundReads } from "./jobs/foregroundReads.ts";
import { JobQueue } from "./jobs/jobQueue.ts";
import { MemoryJobs } from "./jobs/memoryJobs.ts";
import { Reembedding } from "./jobs/reembedding.ts";
import { SemanticJobs } from "./jobs/semanticJobs.ts";
import { CompactMemory } from "./memory/compactMemory.ts";
import { EpisodicMemory } from "./memory/episodicMemory.ts";
import { Forgetting } from "./memory/forgetting.ts";
import { recallConfig } from "./memory/recallConfig.ts";
import { VectorMemory } from "./memory/vectorMemory.ts";
import { SemanticMemory } from "./memory/semantic/semanticMemory.ts";
import { FactRecall } from "./memory/semantic/factRecall.ts";
import { liftByEntities } from "./memory/semantic/entityLift.ts";
import { toPromptFact } from "./memory/semantic/factsForPrompt.ts";
import type { ModelProvider, Tokenizer } from "./model/interfaces.ts";
import type { ModelService, ModelServiceFactory } from "./model/modelService.ts";
import type { Services } from "./services.ts";
import { ConversationStore } from "./store/conversationStore.ts";
import { Database } from "./store/database.ts";
import { DataFolderLock } from "./store/dataFolderLock.ts";
import type { Migration } from "./store/migrations.ts";
import { makeDataFolderPrivate } from "./store/privateDataFolder.ts";
import { EpisodeStore } from "./store/episodeStore.ts";
import { HistoryStore } from "./store/historyStore.ts";
import { MessageStore } from "./store/messageStore.ts";
import { SettingsStore } from "./store/settingsStore.ts";
import { SummaryStore } from "./store/summaryStore.ts";
import { EntityStore } from "./store/entityStore.ts";
import { FactStore } from "./store/factStore.ts";
import { MentionStore } from "./store/mentionStore.ts";
import { RelationStore } from "./store/relationStore.ts";
import { ImportStore } from "./store/importStore.ts";
import { TableTransfer } from "./store/tableTransfer.ts";
import { ConversationImporter } from "./transfer/conversationImporter.ts";
import { reloadSemanticIndex } from "./transfer/semanticReload.ts";

export interface EngineOptions {
  /** The app's data folder; the database lives in `<dataDir>/db`. */
  dataDir: string;
  /**
   * The model runtime, or a factory that builds it on the engine's event bus. The engine owns and disposes it.
   * Absent: no model at all (memory still opens, shows and searches; chat answers no_model).
   */
  models?: ModelService | ModelServiceFactory;
  /** Milliseconds since the epoch; tests and benchmarks pass their own. */
  clock?: () => number;
  /** Run background jobs as they come (default). Tests may pass false and call `drainJobs()`. */
  runJobs?: boolean;
  /** How often every table is compacted, in ms (default 10 minutes). */
  maintenanceIntervalMs?: number;
  /**
   * What holds the data folder, named to a second process the lock refuses (default "Engram"). false takes no
   * lock: only for a test that abandons an engine without disposing it, to play a crash within one process.
   */
  lock?: { purpose: string } | false;
  /** Schema steps instead of the app's own (tests of the migration safety net). */
  migrations?: Migration[];
}

const noModels: ModelProvider = { chatModel: () => null, embedder: () => null };

/**
 * Methods a user waits on that only read: while one runs, background entity reading (synchronous JS on the same
 * thread) waits. None of them waits for a job, so a job waiting for them cannot deadlock.
 */
const foregroundReads = [
  "memory.search",
  "graph.get",
  "facts.list",
  "facts.get",
  "entities.list",
  "entities.get",
  "episodes.list",
  "episodes.get",
  "messages.list",
  "conversations.list",
  "memory.history",
] as const satisfies readonly MethodName[];

/**
 * The whole headless engine: storage, memory, chat, background jobs, behind the one contract. Electron main, the
 * headless server and tests all drive it through `dispatch` (raw input, as from a transport) or `call` (typed).
 */
export class Engine {
  readonly events: EventBus;
  readonly handlers: Handlers;
  readonly #services: Services;
  #lock: DataFolderLock | null = null;
  #disposed = false;

  private constructor(services: Services) {
    this.#services = services;
    this.events = services.events;
    this.handlers = {
      ...conversationHandlers(services),
      ...memoryHandlers(services),
      ...episodeHandlers(services),
      ...chatHandlers(services),
      ...summaryHandlers(services),
      ...appHandlers(services),
      ...modelHandlers(services),
      ...factHandlers(services),
      ...entityHandlers(services),
      ...relationHandlers(services),
      ...graphHandlers(services),
      ...historyHandlers(services),
      ...transferHandlers(services),
      ...mcpHandlers(services),
      ...uiHandlers(services),
    };
    for (const method of foregroundReads) {
      const read = this.handlers[method] as (input: unknown) => Promise<unknown>;
      (this.handlers as Record<string, unknown>)[method] = (input: unknown) =>
        services.foreground.run(() => read(input));
    }
  }

  /**
   * Opens the data folder (made private to the user, and locked against a second process) and everything on it.
   * Throws `conflict` when another process holds the folder.
   */
  static async open(options: EngineOptions): Promise<Engine> {
    try {
      return await Engine.#openPrivate(options);
    } catch (error) {
      // A full or read-only disk says so in words, not as an errno and a stack.
      throw storageFailure(error) ?? error;
    }
  }

  static async #openPrivate(options: EngineOptions): Promise<Engine> {
    await makeDataFolderPrivate(options.dataDir);
    const lock = options.lock === false ? null : await DataFolderLock.acquire(options.dataDir, options.lock);
    try {
      const engine = await Engine.#openLocked(options);
      engine.#lock = lock;
      return engine;
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }

  static async #openLocked(options: EngineOptions): Promise<Engine> {
    const events = new EventBus();
    const clock = options.clock ?? Date.now;
    const db = await Database.open({
      directory: join(options.dataDir, "db"),
      backupDirectory: join(options.dataDir, "backups"),
      ...(options.migrations ? { migrations: options.migrations } : {}),
    });
    const [conversations, messages, episodes, summaries, history, settings] = await Promise.all([
      ConversationStore.open(db),
      MessageStore.open(db),
      EpisodeStore.open(db),
      SummaryStore.open(db),
      HistoryStore.open(db),
      SettingsStore.open(db),
    ]);
    await messages.failInterrupted("Engram stopped before this reply finished.");
    const [factStore, entityStore, relationStore, mentionStore] = await Promise.all([
      FactStore.open(db),
      EntityStore.open(db),
      RelationStore.open(db),
      MentionStore.open(db),
    ]);
    const semantic = await SemanticMemory.open(
      { facts: factStore, entities: entityStore, relations: relationStore, mentions: mentionStore, history },
      clock,
    );
    const factRecall = new FactRecall(semantic.index, semantic.vectors, factStore);
    let reembedding: Reembedding | null = null;
    const models =
      typeof options.models === "function"
        ? await options.models({
            dataDir: options.dataDir,
            events,
            saveModelChoice: (choice) => settings.write(choice),
            embedderChanged: () => reembedding?.syncInBackground(),
          })
        : (options.models ?? null);
    const provider: ModelProvider = models ?? noModels;
    const vectors = new VectorMemory(db);
    const episodic = new EpisodicMemory(episodes, vectors, recallConfig, { gate: conversations.gate, clock });
    // Entities a question names lift the turns that mention them (entityLiftConfig says by how much; 0: not at all).
    episodic.rescoreWith((query, scored) =>
      liftByEntities(semantic.index, (question) => factRecall.entitiesIn(question), query, scored),
    );
    const compact = new CompactMemory(summaries);
    const forgetting = new Forgetting(episodes);
    let chat: ChatTurns | null = null;
    const foreground = new ForegroundReads();
    const jobs = await JobQueue.open(db, {
      isBusy: () => chat?.busy ?? false,
      // A job given up on is kept as failed; a typed error (a small model's malformed answer, no model) says enough
      // in one line, only an unexpected fault brings its stack.
      onError: (error, job) =>
        console.error(
          `Engram background job ${job.kind} failed after ${job.attempts} attempts:`,
          error instanceof EngramError ? error.message : error,
        ),
    });
    const memoryJobs = new MemoryJobs({
      queue: jobs,
      conversations,
      episodes,
      vectors,
      compact,
      forgetting,
      settings,
      models: provider,
      events,
      clock,
    });
    new SemanticJobs({
      queue: jobs,
      conversations,
      episodes,
      semantic,
      models: provider,
      embedder: () => provider.embedder(),
      events,
      isBusy: () => chat?.busy ?? false,
      foreground,
      autoExtract: async () => (await settings.read()).autoExtract,
    });
    reembedding = new Reembedding({
      queue: jobs,
      episodes,
      vectors,
      models: provider,
      events,
      isBusy: () => chat?.busy ?? false,
    });
    const backfilled = reembedding;
    // Recall uses the embedder only once its vectors cover every turn; until then it is lexical.
    const recallModels: ModelProvider = {
      chatModel: () => provider.chatModel(),
      embedder: () => backfilled.recallEmbedder(),
    };
    chat = new ChatTurns({
      conversations,
      messages,
      episodic,
      compact,
      settings,
      jobs,
      afterTurns: (conversationId, episodes) => memoryJobs.afterTurns(conversationId, episodes),
      models: recallModels,
      events,
      clock,
      recallFacts: async (text, now) =>
        (await factRecall.recall(text, { limit: 12, now, embedder: provider.embedder() })).map(({ fact }) =>
          toPromptFact(fact),
        ),
      forgetLearned: (scope) => semantic.forgetTurns(scope),
    });
    const tables = new TableTransfer(db);
    const imports = await ImportStore.open(db);
    // Opening rolls back what an import cut short by a crash left half-written, before any job runs.
    const importer = await ConversationImporter.open({
      dataDir: options.dataDir,
      tables,
      imports,
      episodic,
      history,
      afterTurns: (conversationId, episodes) => memoryJobs.afterTurns(conversationId, episodes),
      afterRollback: () => reloadSemanticIndex(tables, semantic),
      events,
      clock,
    });
    // Memory work that waited for a model (summaries) runs as soon as one is ready.
    events.on("models.status", (status) => {
      if (status.state === "ready") jobs.wake();
    });
    await models?.applySettings(await settings.read());
    await reembedding.sync();
    db.scheduleMaintenance(options.maintenanceIntervalMs ?? 10 * 60_000);
    if (options.runJobs ?? true) jobs.start();
    return new Engine({
      db,
      dataDir: options.dataDir,
      events,
      clock,
      conversations,
      messages,
      episodes,
      summaries,
      history,
      settings,
      episodic,
      vectors,
      compact,
      forgetting,
      jobs,
      memoryJobs,
      reembedding,
      chat,
      models,
      semantic,
      factRecall,
      imports,
      tables,
      importer,
      foreground,
    });
  }

  /** Runs a method from raw input (what a transport received): validated, errors mapped to `{ code, message }`. */
  dispatch(method: string, rawInput: unknown): Promise<CallResult> {
    return dispatch(this.handlers, method, rawInput);
  }

  /** Runs a method with typed input; throws EngramError on failure. */
  call<M extends MethodName>(method: M, input: Parameters<typeof call<M>>[2]): Promise<MethodOutput<M>> {
    return call(this.handlers, method, input);
  }

  /** The recall step of a chat turn, exactly as chat runs it (benchmarks time it). */
  recallForChat(conversationId: string | null, text: string): Promise<ChatRecall> {
    return this.#services.chat.recall(conversationId, text, this.#services.clock());
  }

  /** The fact part of recall for a question, as chat and memory.search run it (benchmarks time it). */
  recallFacts(text: string) {
    return this.#services.factRecall.recall(text, {
      limit: 12,
      now: this.#services.clock(),
      embedder: this.#services.models?.embedder() ?? null,
    });
  }

  /** The semantic memory itself (benchmarks feed it facts and links directly, as extraction would). */
  get semantic(): SemanticMemory {
    return this.#services.semantic;
  }

  /** The prompt-assembly step of a chat turn, exactly as chat runs it (benchmarks time it). */
  async assembleForChat(recall: ChatRecall, conversationId: string, text: string, tokenizer: Tokenizer) {
    const history = await this.#services.messages.listByConversation(conversationId);
    return this.#services.chat.assemble(recall, { userMessage: text, excludeMessageIds: [], history, tokenizer });
  }

  /** Compacts every table and folds new rows into the indexes now (the app does this on a schedule). */
  maintain(): Promise<void> {
    return this.#services.db.optimizeAll();
  }

  /** Runs every background job that can run now (tests, benchmarks). */
  async drainJobs(): Promise<void> {
    await this.#services.reembedding.settled();
    return this.#services.jobs.drain();
  }

  /** Archives what the forgetting policy lets go now (the prune job does this in the background). */
  async pruneMemories(): Promise<{ archived: number }> {
    const s = this.#services;
    const settings = await s.settings.read();
    const archived = await s.forgetting.prune(
      { forgetAfterDays: settings.forgetAfterDays, maxHotEpisodes: settings.maxHotEpisodes },
      s.clock(),
    );
    return { archived };
  }

  /** Tells deferred jobs that a model became available (the model service calls this after a load). */
  wakeJobs(): void {
    this.#services.jobs.wake();
  }

  /** Stops replies (keeping what streamed), stops background work, finishes writes and closes the database. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const s = this.#services;
    await s.importer.dispose();
    await s.chat.dispose();
    await s.jobs.dispose();
    await s.models?.dispose();
    await s.db.dispose();
    s.events.dispose();
    // Last: the folder is free only once every write is on disk.
    await this.#lock?.release();
  }
}
