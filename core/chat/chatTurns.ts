import type { ApiError } from "../api/index.ts";
import { BadInputError, NoModelError, toApiError } from "../errors.ts";
import type { EventBus } from "../eventBus.ts";
import type { CompactForPrompt, CompactMemory } from "../memory/compactMemory.ts";
import type { EpisodicMemory, RecalledEpisode } from "../memory/episodicMemory.ts";
import { assemblePrompt, type AssembledPrompt } from "../memory/promptAssembler.ts";
import type { PromptFact } from "../memory/semantic/factsForPrompt.ts";
import type { ChatMessage, ModelProvider, Tokenizer } from "../model/interfaces.ts";
import { defaultConversationTitle, type ConversationStore } from "../store/conversationStore.ts";
import { newId } from "../store/ids.ts";
import type { EpisodeRef } from "../store/episodeStore.ts";
import type { MessageStore } from "../store/messageStore.ts";
import type { MessageRow } from "../store/schema.ts";
import type { SettingsStore } from "../store/settingsStore.ts";
import type { JobQueue } from "../jobs/jobQueue.ts";
import { ReplyProgress } from "./replyProgress.ts";

export interface ChatTurnsDependencies {
  conversations: ConversationStore;
  messages: MessageStore;
  episodic: EpisodicMemory;
  compact: CompactMemory;
  settings: SettingsStore;
  jobs: JobQueue;
  /** Enqueues the background memory work for turns just remembered (embedding, summaries, pruning). */
  afterTurns: (conversationId: string, episodes: readonly EpisodeRef[]) => Promise<void>;
  models: ModelProvider;
  events: EventBus;
  clock: () => number;
  /** Facts recalled for the message (the semantic memory), best first; absent: the prompt has no facts section. */
  recallFacts?: (text: string, now: number) => Promise<PromptFact[]>;
  /** Forgets what the semantic memory learned from a replaced reply (its message and episodes); absent: nothing to. */
  forgetLearned?: (scope: { messageIds: string[]; episodeIds: string[] }) => Promise<void>;
}

/** How many recalled memories a prompt considers before the budget decides how many fit. */
const recallLimit = 24;
/** How many of the best recalled turns bring the turn before them along as context. */
const neighbourContextFor = 3;
/** Longest reply asked of the model. */
const maxReplyTokens = 1024;
/** Longest title taken from a first message. */
const titleLength = 48;

export interface ChatRecall {
  episodes: RecalledEpisode[];
  compact: CompactForPrompt;
  facts: PromptFact[];
}

/** The ids chat.send and chat.regenerate answer with. */
export interface TurnIds {
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string;
}

interface ActiveReply {
  conversationId: string;
  controller: AbortController;
  text: string;
  done: Promise<void>;
}

/**
 * The chat turn of DESIGN.md: persist the user message first (before anything can fail), recall, assemble the prompt
 * within the budget, stream the reply (cancellable), persist it with the ids of the memories it used, then enqueue
 * the background memory jobs.
 */
export class ChatTurns {
  readonly #deps: ChatTurnsDependencies;
  readonly #active = new Map<string, ActiveReply>();
  /** Replies being replaced by chat.regenerate, by the id of the reply replaced. */
  readonly #regenerating = new Map<string, Promise<TurnIds>>();

  constructor(deps: ChatTurnsDependencies) {
    this.#deps = deps;
  }

  /** True while a reply is being generated: background jobs wait so chat has the model. */
  get busy(): boolean {
    return this.#active.size > 0;
  }

  /** Stores the user's message and starts the reply; resolves as soon as both are durable. */
  async send(conversationId: string | undefined, text: string): Promise<TurnIds> {
    const { conversations, messages, episodic } = this.#deps;
    const now = this.#deps.clock();
    const conversation = conversationId
      ? await conversations.get(conversationId)
      : await conversations.create(titleFrom(text), now);
    const user: MessageRow = message(conversation.id, "user", text, "done", now);
    const assistant: MessageRow = message(conversation.id, "assistant", "", "pending", now);
    await messages.append([user, assistant]);
    // The message is safe; from here a failure only marks the reply as failed.
    const history = (await messages.listByConversation(conversation.id)).filter(
      (row) => row.id !== user.id && row.id !== assistant.id,
    );
    const [episode] = await episodic.ingest(conversation.id, [
      { speaker: "user", role: "user", text, at: now, messageId: user.id },
    ]);
    if (history.length === 0 && conversation.title === defaultConversationTitle) {
      await conversations.rename(conversation.id, titleFrom(text), now);
    } else {
      await conversations.touch(conversation.id, now);
    }
    this.#start(conversation.id, user, assistant.id, history, [episode!]);
    return { conversationId: conversation.id, userMessageId: user.id, assistantMessageId: assistant.id };
  }

  /**
   * Replaces an assistant reply with a new one to the same user message. Only an assistant message may be
   * regenerated, and once at a time: a second call for a reply already being replaced (a double-click, a retry)
   * answers the same new reply instead of making another.
   */
  regenerate(assistantMessageId: string): Promise<TurnIds> {
    const running = this.#regenerating.get(assistantMessageId);
    if (running) return running;
    // Registered before the first await, so a call arriving in the same tick already finds it.
    const replacing = this.#replace(assistantMessageId).finally(() => this.#regenerating.delete(assistantMessageId));
    this.#regenerating.set(assistantMessageId, replacing);
    return replacing;
  }

  async #replace(assistantMessageId: string): Promise<TurnIds> {
    const { messages } = this.#deps;
    const old = await messages.get(assistantMessageId);
    if (old.role !== "assistant") {
      throw new BadInputError("Only an assistant reply can be regenerated; this id is a user message.");
    }
    const { gate } = this.#deps.conversations;
    // Checked before anything changes: a refused regenerate leaves the conversation as it was. A thread emptied by a
    // delete under way is the conversation not found, not a bad request.
    const userBefore = async () => {
      const thread = await messages.listByConversation(old.conversationId);
      gate.assertOpen(old.conversationId);
      const user = userMessageBefore(thread, old.id);
      if (!user) throw new BadInputError("There is no user message before this reply to answer again.");
      return { thread, user };
    };
    await userBefore();
    await this.stop(assistantMessageId);
    const { thread, user } = await userBefore();
    const assistant = message(old.conversationId, "assistant", "", "pending", this.#deps.clock());
    // A write to the conversation like an ingest: refused once a delete of it is sealed, awaited by one under way,
    // so the new reply never outlives a conversation deleted meanwhile.
    await gate.write(old.conversationId, async () => {
      await messages.append([assistant]);
      // The replaced reply leaves the chat and the memory: it was not what the user wanted.
      await messages.deleteById(old.id);
      const episodeIds = await this.#deps.episodic.forgetMessage(old.id);
      await this.#deps.forgetLearned?.({ messageIds: [old.id], episodeIds });
    });
    // A delete that started meanwhile removes the new reply with the rest; no reply is generated into it.
    gate.assertOpen(old.conversationId);
    const history = thread.slice(0, thread.indexOf(user));
    this.#start(old.conversationId, user, assistant.id, history, []);
    return { conversationId: old.conversationId, userMessageId: user.id, assistantMessageId: assistant.id };
  }

  /** The recall step of a chat turn: episodes for the message and the conversation's compact memory. */
  async recall(conversationId: string | null, text: string, now: number): Promise<ChatRecall> {
    const [recalled, compact, facts] = await Promise.all([
      this.#deps.episodic.recall(text, {
        limit: recallLimit,
        contextBefore: neighbourContextFor,
        now,
        embedder: this.#deps.models.embedder(),
      }),
      this.#deps.compact.forPrompt(conversationId),
      this.#deps.recallFacts?.(text, now) ?? Promise.resolve([]),
    ]);
    return { episodes: withTurnsBefore(recalled), compact, facts };
  }

  /** The assembly step of a chat turn: the prompt within the budget from what was recalled and the thread so far. */
  async assemble(
    recall: ChatRecall,
    turn: {
      userMessage: string;
      excludeMessageIds: string[];
      history: MessageRow[];
      /** The chat model's tokenizer; with its context size the budget is also kept within what the model can take. */
      tokenizer: Tokenizer & { contextSize?: number };
    },
  ): Promise<AssembledPrompt> {
    const settings = await this.#deps.settings.read();
    const contextSize = turn.tokenizer.contextSize;
    const exclude = new Set(turn.excludeMessageIds);
    return assemblePrompt(
      {
        systemPrompt: settings.systemPrompt,
        profile: recall.compact.profile,
        digest: recall.compact.digest,
        summary: recall.compact.summary,
        memories: recall.episodes
          .filter(({ episode }) => !exclude.has(episode.messageId ?? ""))
          .map(({ episode }) => ({ id: episode.id, speaker: episode.speaker, text: episode.text, at: episode.at })),
        facts: recall.facts,
        recentTurns: turn.history
          .filter((row) => row.status === "done" || row.status === "stopped")
          .map((row): ChatMessage => ({ role: row.role, content: row.content })),
        userMessage: turn.userMessage,
        budgetTokens:
          contextSize === undefined
            ? settings.promptBudgetTokens
            : Math.min(settings.promptBudgetTokens, contextSize - replyRoomFor(contextSize)),
      },
      turn.tokenizer,
    );
  }

  /** Stops a streaming reply; what was generated so far is kept with status stopped. */
  async stop(assistantMessageId: string): Promise<boolean> {
    const reply = this.#active.get(assistantMessageId);
    if (!reply) return false;
    reply.controller.abort();
    await reply.done;
    return true;
  }

  /** Stops the replies of one conversation (it is being deleted). */
  async stopConversation(conversationId: string): Promise<void> {
    const ids = [...this.#active].filter(([, reply]) => reply.conversationId === conversationId).map(([id]) => id);
    await Promise.all(ids.map((id) => this.stop(id)));
  }

  /** The text streamed so far for replies still being generated (messages.list shows it). */
  inFlight(assistantMessageId: string): string | undefined {
    return this.#active.get(assistantMessageId)?.text;
  }

  /** Stops every reply (quit) and waits until each is persisted. */
  async dispose(): Promise<void> {
    await Promise.all([...this.#active.keys()].map((id) => this.stop(id)));
  }

  #start(
    conversationId: string,
    user: MessageRow,
    assistantMessageId: string,
    history: MessageRow[],
    episodes: EpisodeRef[],
  ): void {
    const reply: ActiveReply = { conversationId, controller: new AbortController(), text: "", done: Promise.resolve() };
    this.#active.set(assistantMessageId, reply);
    reply.done = this.#generate(reply, user, assistantMessageId, history, episodes).finally(() => {
      this.#active.delete(assistantMessageId);
      this.#deps.jobs.wake();
    });
  }

  async #generate(
    reply: ActiveReply,
    user: MessageRow,
    assistantMessageId: string,
    history: MessageRow[],
    episodes: EpisodeRef[],
  ) {
    const { messages, events, episodic } = this.#deps;
    const conversationId = reply.conversationId;
    let memoryIds: string[] = [];
    let status: MessageRow["status"] = "done";
    let error: ApiError | undefined;
    let promptTokens: number | undefined;
    const progress = new ReplyProgress((text) => messages.saveProgress(assistantMessageId, text));
    try {
      const model = this.#deps.models.chatModel();
      if (!model) throw new NoModelError();
      const now = this.#deps.clock();
      const recall = await this.recall(conversationId, user.content, now);
      const prompt = await this.assemble(recall, {
        userMessage: user.content,
        excludeMessageIds: [user.id],
        history,
        tokenizer: model,
      });
      memoryIds = [...recall.compact.ids, ...prompt.memoryIds];
      promptTokens = prompt.tokens;
      const result = await model.generate(prompt.messages, {
        signal: reply.controller.signal,
        priority: "chat",
        // The reply may use what the prompt leaves of the context, so the model never has to shift its context.
        maxTokens: Math.max(1, Math.min(maxReplyTokens, model.contextSize - prompt.tokens)),
        onToken: (text) => {
          reply.text += text;
          events.emit("chat.token", { conversationId, assistantMessageId, text });
          progress.update(reply.text);
        },
      });
      reply.text = result.text;
      status = result.stopped ? "stopped" : "done";
      await episodic.noteAccess(prompt.memoryIds, now);
    } catch (failure) {
      if (reply.controller.signal.aborted) {
        status = "stopped";
      } else {
        status = "error";
        error = toApiError(failure);
      }
    }
    await progress.settled();
    let stored = true;
    try {
      await messages.finish(assistantMessageId, {
        content: reply.text,
        status,
        memoryIds,
        error: error?.message ?? null,
      });
    } catch (failure) {
      // The reply could not be stored (a full or read-only disk): the user hears why in chat.done, not never.
      stored = false;
      status = "error";
      error = toApiError(failure);
    }
    try {
      const remembered = [...episodes];
      if (!stored) return;
      if (reply.text.trim()) {
        const [episode] = await episodic.ingest(conversationId, [
          {
            speaker: "assistant",
            role: "assistant",
            text: reply.text,
            at: this.#deps.clock(),
            messageId: assistantMessageId,
          },
        ]);
        remembered.push(episode!);
      }
      await this.#deps.afterTurns(conversationId, remembered);
    } catch (failure) {
      // Stored but not remembered (the disk filled in between): said once here; nothing else may end the app.
      console.error(`Engram: a reply was saved but could not be added to memory: ${toApiError(failure).message}`);
    } finally {
      // Done means done everywhere: by the time a client hears it, the reply is stored and remembered.
      this.#active.delete(assistantMessageId);
      events.emit("chat.done", {
        conversationId,
        assistantMessageId,
        status,
        memoryIds,
        ...(error ? { error } : {}),
        ...(promptTokens !== undefined ? { promptTokens } : {}),
      });
    }
  }
}

function message(
  conversationId: string,
  role: MessageRow["role"],
  content: string,
  status: MessageRow["status"],
  at: number,
): MessageRow {
  return { id: newId("msg"), conversationId, role, content, status, memoryIds: "[]", error: null, createdAt: at };
}

/** The user message a reply answers: the nearest user message before it in the thread. */
function userMessageBefore(thread: MessageRow[], replyId: string): MessageRow | undefined {
  const index = thread.findIndex((row) => row.id === replyId);
  if (index < 0) return undefined;
  return thread
    .slice(0, index)
    .reverse()
    .find((row) => row.role === "user");
}

/**
 * Tokens of the context kept free for the reply: a quarter of a small context, at most the longest reply. The
 * prompt budget is the smaller of the setting and the rest, so a 512-token model gets a 384-token prompt.
 */
export function replyRoomFor(contextSize: number): number {
  return Math.min(maxReplyTokens, Math.floor(contextSize / 4));
}

function titleFrom(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length <= titleLength ? line : `${line.slice(0, titleLength - 1).trimEnd()}…`;
}

/**
 * Puts the turn right before each of the best few recalled turns next to it (recall read them in the same query): in
 * front of it, moved up if it was recalled further down on its own, so the model reads question then answer.
 */
function withTurnsBefore(recalled: RecalledEpisode[]): RecalledEpisode[] {
  const placed = new Set<string>();
  const result: RecalledEpisode[] = [];
  for (const hit of recalled) {
    if (hit.before && !placed.has(hit.before.id)) {
      placed.add(hit.before.id);
      result.push({ episode: hit.before, score: hit.score });
    }
    if (placed.has(hit.episode.id)) continue;
    placed.add(hit.episode.id);
    result.push(hit);
  }
  return result;
}
