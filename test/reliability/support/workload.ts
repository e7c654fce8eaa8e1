/**
 * The user's side of a crash test: a few concurrent loops calling the server as the app would (ingest, chat,
 * imports, searches and lists), each recording in the ledger what the server acknowledged, until told to stop. A
 * call cut off by the kill was never acknowledged, so it is not expected to survive.
 */
import type { HeadlessProcess } from "./headlessProcess.ts";
import type { Ledger } from "./ledger.ts";

export interface WorkloadOptions {
  server: HeadlessProcess;
  ledger: Ledger;
  random: () => number;
  /** Conversations the loops write into (created up front, so the lists stay short to verify). */
  conversations: string[];
  /** Whether a chat model is loaded (chat.send streams a reply). */
  chat: boolean;
  /** A label making every text unique, so imports are never skipped as already imported. */
  label: string;
  loops: number;
  /** Told each time the server acknowledges a chat.send (its reply then streams). */
  onChat?: () => void;
}

export interface WorkloadCounts {
  ingests: number;
  chats: number;
  imports: number;
  reads: number;
  /** Calls that failed with an HTTP answer (not by the kill): each must be a 4xx with a reason, counted here. */
  refused: number;
  /** Answers in the 5xx range: the suite requires none. */
  serverErrors: string[];
}

/** Runs the loops until `stop` aborts; resolves once every loop has ended. */
export async function runWorkload(options: WorkloadOptions, stop: AbortSignal): Promise<WorkloadCounts> {
  const counts: WorkloadCounts = { ingests: 0, chats: 0, imports: 0, reads: 0, refused: 0, serverErrors: [] };
  let sequence = 0;
  const pick = <T>(items: T[]): T => items[Math.floor(options.random() * items.length)]!;
  const loop = async () => {
    while (!stop.aborted) {
      const roll = options.random();
      const unique = `${options.label}-${sequence++}`;
      try {
        if (roll < 0.5) {
          const conversationId = pick(options.conversations);
          const turns = Array.from({ length: 1 + Math.floor(options.random() * 3) }, (_, index) => ({
            speaker: index % 2 ? "assistant" : "user",
            text: `Note ${unique}.${index}: the ${pick(["blue", "red", "green"])} ${pick(["kettle", "bicycle", "passport"])} is in the ${pick(["attic", "car", "office"])}.`,
          }));
          const reply = await options.server.call("memory.ingest", { conversationId, turns });
          if (note(reply, counts)) {
            const data = reply.body.data as { conversationId: string; episodeIds: string[] };
            options.ledger.ingested(data.conversationId, data.episodeIds);
            counts.ingests++;
          }
        } else if (roll < 0.7 && options.chat) {
          const conversationId = pick(options.conversations);
          const reply = await options.server.call("chat.send", { conversationId, text: `Where is it? (${unique})` });
          if (note(reply, counts)) {
            const data = reply.body.data as {
              conversationId: string;
              userMessageId: string;
              assistantMessageId: string;
            };
            options.ledger.chatted(data.conversationId, data.userMessageId, data.assistantMessageId);
            counts.chats++;
            options.onChat?.();
          }
        } else if (roll < 0.8) {
          const turns = 2 + Math.floor(options.random() * 20);
          const content = Array.from({ length: turns }, (_, index) =>
            JSON.stringify({ speaker: index % 2 ? "assistant" : "user", text: `Imported ${unique} line ${index}.` }),
          ).join("\n");
          const reply = await options.server.call("conversations.import", { source: "jsonl", content });
          if (note(reply, counts)) {
            const data = reply.body.data as { conversationIds: string[]; turns: number };
            for (const id of data.conversationIds) options.ledger.imported(id, data.turns);
            counts.imports++;
          }
        } else {
          const reply =
            roll < 0.9
              ? await options.server.call("memory.search", { query: pick(["kettle attic", "passport", "bicycle car"]) })
              : await options.server.call("conversations.list", {});
          if (note(reply, counts)) counts.reads++;
        }
      } catch (error) {
        // The connection went with the process: what was in flight was never acknowledged.
        if (stop.aborted) return;
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 20 + options.random() * 80));
    }
  };
  await Promise.all(Array.from({ length: options.loops }, loop));
  return counts;
}

function note(
  reply: { status: number; body: { ok: boolean; error?: { code: string; message: string } } },
  counts: WorkloadCounts,
) {
  if (reply.body.ok) return true;
  if (reply.status >= 500)
    counts.serverErrors.push(`${reply.status} ${reply.body.error?.code}: ${reply.body.error?.message}`);
  else counts.refused++;
  return false;
}
