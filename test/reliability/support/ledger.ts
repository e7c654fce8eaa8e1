/**
 * What the server acknowledged: every turn, message and imported conversation it answered 200 for. After each crash
 * and restart, `verify` checks that all of it is there, exactly once, and that no reply is left pending.
 */
import type { HeadlessProcess } from "./headlessProcess.ts";

interface ConversationRecord {
  episodeIds: Set<string>;
  userMessageIds: Set<string>;
  assistantMessageIds: Set<string>;
  /** Turns an acknowledged import brought (its episodes are not named in the reply, only counted). */
  importedTurns: number;
}

export interface Verification {
  conversations: number;
  episodes: number;
  messages: number;
  /** What was acknowledged and is missing (or doubled, or left unfinished): must stay empty. */
  lost: string[];
}

interface EpisodePage {
  episodes: { id: string }[];
  total: number;
}

interface MessageList {
  messages: { id: string; role: string; status: string; content: string }[];
}

export class Ledger {
  readonly #conversations = new Map<string, ConversationRecord>();
  #touched = new Set<string>();

  #of(conversationId: string): ConversationRecord {
    this.#touched.add(conversationId);
    let record = this.#conversations.get(conversationId);
    if (!record) {
      record = { episodeIds: new Set(), userMessageIds: new Set(), assistantMessageIds: new Set(), importedTurns: 0 };
      this.#conversations.set(conversationId, record);
    }
    return record;
  }

  /** Conversations written to since the last call (verified after every kill; all of them now and then). */
  takeTouched(): string[] {
    const touched = [...this.#touched];
    this.#touched = new Set();
    return touched;
  }

  get conversationIds(): string[] {
    return [...this.#conversations.keys()];
  }

  get acknowledged(): number {
    let total = 0;
    for (const record of this.#conversations.values()) {
      total += record.episodeIds.size + record.userMessageIds.size + record.assistantMessageIds.size;
      total += record.importedTurns;
    }
    return total;
  }

  conversation(conversationId: string): void {
    this.#of(conversationId);
  }

  ingested(conversationId: string, episodeIds: string[]): void {
    for (const id of episodeIds) this.#of(conversationId).episodeIds.add(id);
  }

  chatted(conversationId: string, userMessageId: string, assistantMessageId: string): void {
    const record = this.#of(conversationId);
    record.userMessageIds.add(userMessageId);
    record.assistantMessageIds.add(assistantMessageId);
  }

  imported(conversationId: string, turns: number): void {
    this.#of(conversationId).importedTurns = Math.max(this.#of(conversationId).importedTurns, turns);
  }

  /**
   * Checks every acknowledged thing (or only the given conversations) against the running server. Right after a
   * restart (the default) no reply may be unfinished; on a server still running, replies may still be streaming.
   */
  async verify(
    server: HeadlessProcess,
    only?: Iterable<string>,
    options: { repliesMayRun?: boolean } = {},
  ): Promise<Verification> {
    const result: Verification = { conversations: 0, episodes: 0, messages: 0, lost: [] };
    const ids = only ? [...only] : this.conversationIds;
    for (const conversationId of ids) {
      const record = this.#conversations.get(conversationId);
      if (!record) continue;
      result.conversations++;
      const episodes = await allEpisodes(server, conversationId);
      if (episodes === null) {
        result.lost.push(`conversation ${conversationId} is gone`);
        continue;
      }
      const present = new Set(episodes);
      if (present.size !== episodes.length) result.lost.push(`conversation ${conversationId} lists an episode twice`);
      for (const id of record.episodeIds) if (!present.has(id)) result.lost.push(`episode ${id} of ${conversationId}`);
      if (episodes.length < record.importedTurns) {
        result.lost.push(
          `imported conversation ${conversationId}: ${episodes.length} of ${record.importedTurns} turns`,
        );
      }
      result.episodes += present.size;
      if (record.userMessageIds.size + record.assistantMessageIds.size === 0) continue;
      const { messages } = await server.data<MessageList>("messages.list", { conversationId });
      result.messages += messages.length;
      const count = new Map<string, number>();
      for (const message of messages) count.set(message.id, (count.get(message.id) ?? 0) + 1);
      for (const id of [...record.userMessageIds, ...record.assistantMessageIds]) {
        const seen = count.get(id) ?? 0;
        if (seen !== 1) result.lost.push(`message ${id} of ${conversationId} is there ${seen} times`);
      }
      for (const message of options.repliesMayRun ? [] : messages) {
        // After a restart no reply may stay unfinished: what streamed is kept as stopped, nothing as an error.
        if (message.status === "pending" || message.status === "streaming") {
          result.lost.push(`reply ${message.id} left ${message.status} after the restart`);
        }
      }
    }
    return result;
  }
}

/** Every episode id of a conversation, hot and archived; null when the conversation does not exist. */
async function allEpisodes(server: HeadlessProcess, conversationId: string): Promise<string[] | null> {
  const ids: string[] = [];
  for (let offset = 0; ;) {
    const reply = await server.call("episodes.list", { conversationId, limit: 1000, offset, includeArchived: true });
    if (!reply.body.ok) {
      if (reply.body.error?.code === "not_found") return null;
      throw new Error(`episodes.list failed: ${reply.status} ${JSON.stringify(reply.body.error)}`);
    }
    const page = reply.body.data as EpisodePage;
    ids.push(...page.episodes.map((episode) => episode.id));
    offset += page.episodes.length;
    if (page.episodes.length === 0 || offset >= page.total) return ids;
  }
}
