import assert from "node:assert/strict";
import { test } from "node:test";
import type { Conversation } from "../../core/api/index.ts";
import { ApiClient } from "../../renderer/api/apiClient.ts";
import type { Reply, Transport } from "../../renderer/api/transport.ts";
import { createAppStore } from "../../renderer/store/appStore.ts";

/** A conversation service as the renderer sees it: create, list, and each conversation's messages. */
function fakeConversations() {
  const conversations: Conversation[] = [];
  const messages = new Map<string, unknown[]>();
  const answer = (data: unknown): Reply => ({ ok: true, data });
  const transport: Transport = {
    kind: "headless",
    async call(method, input) {
      if (method === "conversations.create") {
        const at = new Date(Date.UTC(2026, 0, 1, 0, conversations.length)).toISOString();
        const conversation = { id: `c${conversations.length + 1}`, title: "", createdAt: at, updatedAt: at };
        conversations.unshift(conversation);
        messages.set(conversation.id, []);
        return answer(conversation);
      }
      if (method === "conversations.list") return answer({ conversations: [...conversations] });
      if (method === "messages.list") {
        return answer({ messages: messages.get((input as { conversationId: string }).conversationId) ?? [] });
      }
      return { ok: false, error: { code: "unknown_method", message: method } };
    },
    on: () => () => undefined,
    dispose: () => undefined,
  };
  const say = (conversationId: string) =>
    messages.get(conversationId)!.push({ id: "m1", role: "user", content: "Hi", status: "done", memoryIds: [] });
  return { store: createAppStore(new ApiClient(transport)), conversations, say };
}

test("pressing New conversation twice opens one empty conversation, not two", async () => {
  const { store, conversations } = fakeConversations();
  await store.getState().createConversation();
  await store.getState().createConversation();
  assert.equal(conversations.length, 1);
  assert.equal(store.getState().selectedConversationId, "c1");
});

test("once the open conversation has messages, New conversation makes a new one", async () => {
  const { store, conversations, say } = fakeConversations();
  await store.getState().createConversation();
  say("c1");
  await store.getState().loadMessages("c1");
  await store.getState().createConversation();
  assert.equal(conversations.length, 2);
  assert.equal(store.getState().selectedConversationId, "c2");
});
