import type { Conversation, Message } from "../../core/api/index.ts";
import { dispatch, type CallResult, type Handlers } from "../../core/boundary.ts";
import { EngramError, NoModelError, NotFoundError } from "../../core/errors.ts";
import { EventBus } from "../../core/eventBus.ts";
import type { EngineLike } from "../../core/server/engineLike.ts";

/**
 * A small in-memory stand-in for the engine, for transport tests: conversations, messages, and a chat that fails the
 * way the real engine does without a model (chat.done with status error and code no_model). Every call still goes
 * through the real boundary dispatch, so input parsing and error mapping are the contract's own.
 */
export class FakeEngine implements EngineLike {
  readonly events = new EventBus();
  readonly calls: { method: string; input: unknown }[] = [];
  readonly #conversations = new Map<string, Conversation>();
  readonly #messages: Message[] = [];
  #nextId = 1;

  readonly #handlers: Partial<Handlers> = {
    "conversations.list": async () => ({ conversations: [...this.#conversations.values()].reverse() }),
    "conversations.create": async ({ title }) => this.#createConversation(title),
    "messages.list": async ({ conversationId }) => {
      if (!this.#conversations.has(conversationId)) throw new NotFoundError("Conversation", conversationId);
      return { messages: this.#messages.filter((message) => message.conversationId === conversationId) };
    },
    "chat.send": async ({ conversationId, text }) => {
      const conversation = conversationId ? this.#conversations.get(conversationId) : this.#createConversation();
      if (!conversation) throw new NotFoundError("Conversation", conversationId ?? "");
      const user = this.#addMessage(conversation.id, "user", text, "done");
      const assistant = this.#addMessage(conversation.id, "assistant", "", "pending");
      // Like the engine: the call answers at once and the reply settles through events.
      setTimeout(() => {
        const error = new NoModelError();
        assistant.status = "error";
        assistant.error = error.message;
        this.events.emit("chat.done", {
          conversationId: conversation.id,
          assistantMessageId: assistant.id,
          status: "error",
          memoryIds: [],
          error: { code: error.code, message: error.message },
        });
      }, 20);
      return { conversationId: conversation.id, userMessageId: user.id, assistantMessageId: assistant.id };
    },
    "chat.stop": async () => ({ stopped: false }),
  };

  async dispatch(method: string, rawInput: unknown): Promise<CallResult> {
    this.calls.push({ method, input: rawInput });
    const handlers = new Proxy(this.#handlers, {
      get: (target, name: string) =>
        target[name as keyof Handlers] ??
        (async () => {
          throw new EngramError("internal", `The fake engine does not implement ${name}.`);
        }),
    }) as Handlers;
    return dispatch(handlers, method, rawInput);
  }

  #createConversation(title?: string): Conversation {
    const now = new Date().toISOString();
    const conversation = {
      id: `c${this.#nextId++}`,
      title: title ?? "New conversation",
      createdAt: now,
      updatedAt: now,
    };
    this.#conversations.set(conversation.id, conversation);
    return conversation;
  }

  #addMessage(conversationId: string, role: Message["role"], content: string, status: Message["status"]): Message {
    const message: Message = {
      id: `m${this.#nextId++}`,
      conversationId,
      role,
      content,
      status,
      memoryIds: [],
      createdAt: new Date().toISOString(),
    };
    this.#messages.push(message);
    return message;
  }
}
