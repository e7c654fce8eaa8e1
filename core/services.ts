import type { EventBus } from "./eventBus.ts";
import type { CompactMemory } from "./memory/compactMemory.ts";
import type { EpisodicMemory } from "./memory/episodicMemory.ts";
import type { Forgetting } from "./memory/forgetting.ts";
import type { VectorMemory } from "./memory/vectorMemory.ts";
import type { SemanticMemory } from "./memory/semantic/semanticMemory.ts";
import type { FactRecall } from "./memory/semantic/factRecall.ts";
import type { ChatTurns } from "./chat/chatTurns.ts";
import type { ForegroundReads } from "./jobs/foregroundReads.ts";
import type { JobQueue } from "./jobs/jobQueue.ts";
import type { MemoryJobs } from "./jobs/memoryJobs.ts";
import type { Reembedding } from "./jobs/reembedding.ts";
import type { ModelService } from "./model/modelService.ts";
import type { ConversationStore } from "./store/conversationStore.ts";
import type { Database } from "./store/database.ts";
import type { EpisodeStore } from "./store/episodeStore.ts";
import type { HistoryStore } from "./store/historyStore.ts";
import type { MessageStore } from "./store/messageStore.ts";
import type { SettingsStore } from "./store/settingsStore.ts";
import type { SummaryStore } from "./store/summaryStore.ts";
import type { ImportStore } from "./store/importStore.ts";
import type { TableTransfer } from "./store/tableTransfer.ts";
import type { ConversationImporter } from "./transfer/conversationImporter.ts";

/** Everything the engine is made of, built once by `Engine.open` and handed to the method handlers. */
export interface Services {
  db: Database;
  dataDir: string;
  events: EventBus;
  clock: () => number;
  conversations: ConversationStore;
  messages: MessageStore;
  episodes: EpisodeStore;
  summaries: SummaryStore;
  history: HistoryStore;
  settings: SettingsStore;
  episodic: EpisodicMemory;
  vectors: VectorMemory;
  compact: CompactMemory;
  forgetting: Forgetting;
  jobs: JobQueue;
  memoryJobs: MemoryJobs;
  /** Backfills vectors after an embedder change; says which embedder recall may use meanwhile. */
  reembedding: Reembedding;
  chat: ChatTurns;
  models: ModelService | null;
  /** Facts, entities, relations: the semantic memory and its graph index. */
  semantic: SemanticMemory;
  /** Recall of facts for a question (full text, vectors, entities, graph). */
  factRecall: FactRecall;
  /** Records of conversations imported from other assistants. */
  imports: ImportStore;
  /** Whole-table reads and writes for export and import. */
  tables: TableTransfer;
  /** Imports from other assistants; runs every transfer (imports, Engram export and import) one at a time. */
  importer: ConversationImporter;
  /** The user's reads in flight, which background entity reading steps aside for. */
  foreground: ForegroundReads;
}
