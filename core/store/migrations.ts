import { Index, type Connection } from "@lancedb/lancedb";
import { tableSchemas, type TableName } from "./schema.ts";

/**
 * One step of the storage schema. Steps run in order, each exactly once per data folder; the version reached is
 * recorded after every step, so a crash between steps resumes where it stopped.
 */
export interface Migration {
  version: number;
  description: string;
  up(connection: Connection): Promise<void>;
}

/** Creates a table with its schema unless it exists (a half-finished earlier run may have made it). */
export async function createTableIfMissing(connection: Connection, name: TableName): Promise<void> {
  await connection.createEmptyTable(name, tableSchemas[name], { existOk: true });
}

/**
 * Full-text settings for memory text: English stemming and stop-word removal, so "adopted a puppy" matches
 * "adopt puppies". Positions are not stored: recall never runs phrase queries, and they would double the index.
 */
export const memoryTextIndex = () =>
  Index.fts({ stem: true, removeStopWords: true, lowercase: true, asciiFolding: true, withPosition: false });

export const migrations: Migration[] = [
  {
    version: 1,
    description: "Tables for conversations, messages, episodes (+ archive), summaries, history, jobs, settings",
    async up(connection) {
      for (const name of Object.keys(tableSchemas) as TableName[]) {
        if (name === "meta") continue;
        await createTableIfMissing(connection, name);
      }
      const episodes = await connection.openTable("episodes");
      await episodes.createIndex("text", { config: memoryTextIndex(), replace: true });
      await episodes.createIndex("context", { config: memoryTextIndex(), replace: true });
      await episodes.createIndex("conversationId", { replace: true });
      episodes.close();
    },
  },
  {
    version: 2,
    description: "Episodes indexed by position in their conversation",
    async up(connection) {
      // Recall reads the rows it returns, neighbours of its best hits included, by (conversationId, seq).
      const episodes = await connection.openTable("episodes");
      await episodes.createIndex("seq", { replace: true });
      episodes.close();
    },
  },
  {
    version: 3,
    description: "Idle age counts from when Engram learned a turn; archived turns are searchable",
    async up(connection) {
      // Forgetting counted a turn's idle age from the time the turn carries, so an imported history was archived on
      // arrival. Idle age now counts from when Engram learned or last recalled a turn (lastAccessAt); a folder's
      // turns were learned no later than now, so each starts fresh from this upgrade.
      const now = Date.now();
      const episodes = await connection.openTable("episodes");
      await episodes.update({ where: `lastAccessAt < ${now}`, values: { lastAccessAt: now } });
      episodes.close();
      // Forgetting demotes, it never hides: recall searches the archive's turns too, and deletes filter it by
      // conversation.
      const archive = await connection.openTable("episodes_archive");
      await archive.createIndex("text", { config: memoryTextIndex(), replace: true });
      await archive.createIndex("conversationId", { replace: true });
      archive.close();
    },
  },
  {
    version: 4,
    description: "Semantic memory: facts, entities, relations, mentions",
    async up(connection) {
      for (const name of ["facts", "entities", "relations", "mentions"] as const) {
        await createTableIfMissing(connection, name);
      }
      // Fact recall searches statements by full text, like turns.
      const facts = await connection.openTable("facts");
      await facts.createIndex("statement", { config: memoryTextIndex(), replace: true });
      facts.close();
      // Entries of one change (a new fact and the one it superseded) are undone together.
      const history = await connection.openTable("memory_history");
      if (!(await history.schema()).fields.some((field) => field.name === "changeId")) {
        await history.addColumns([{ name: "changeId", valueSql: "CAST(NULL AS STRING)" }]);
      }
      history.close();
    },
  },
  {
    version: 5,
    description: "Record of conversations imported from other assistants (idempotent, resumable imports)",
    async up(connection) {
      await createTableIfMissing(connection, "imports");
    },
  },
];

export const latestSchemaVersion = migrations.reduce((latest, migration) => Math.max(latest, migration.version), 0);
