import type { Handlers } from "../boundary.ts";
import type { Services } from "../services.ts";
import type { TableName } from "../store/schema.ts";
import { conversationHandlers } from "./conversationHandlers.ts";

/**
 * Tables of memory that outlive a conversation's deletion, with the column that keys each; settings, jobs and the
 * schema version are not memory.
 */
const memoryTables: [TableName, string][] = [
  ["summaries", "id"],
  ["facts", "id"],
  ["entities", "id"],
  ["relations", "id"],
  ["mentions", "id"],
  ["memory_history", "id"],
  ["imports", "key"],
  ["messages", "id"],
  ["episodes", "id"],
  ["episodes_archive", "id"],
  ["conversations", "id"],
];

/**
 * `app.wipe`: after every transfer in progress (never in the middle of an import), each conversation goes the way
 * `conversations.delete` takes it (its replies stopped, its queued jobs dropped, every tier and vector removed);
 * then what belongs to no conversation (profile, facts, entities, history, import records) is deleted and the
 * semantic index rebuilt from the now empty tables.
 */
export function wipeHandler(s: Services): Pick<Handlers, "app.wipe"> {
  const deleteConversation = conversationHandlers(s)["conversations.delete"];
  return {
    "app.wipe": () =>
      s.importer.exclusive(async () => {
        const conversations = await s.conversations.list();
        for (const conversation of conversations) await deleteConversation({ id: conversation.id });
        for (const [name, key] of memoryTables) {
          const rows = await s.tables.all<Record<string, string>>(name);
          await s.tables.deleteWhereIn(
            name,
            key,
            rows.map((row) => row[key]!),
          );
        }
        await s.semantic.reload();
        s.events.emit("memory.changed", {
          kinds: ["conversation", "episode", "summary", "fact", "entity", "relation"],
        });
        return { conversations: conversations.length };
      }),
  };
}
