/**
 * The whole chat path on a real small model (issue 8, defect 5): stories260K has a 512-token context, far below the
 * default 3,500-token prompt budget. With default settings, many turns in a row and then new conversations whose
 * recall brings the long earlier replies must all answer, never failing with node-llama-cpp's "Failed to compress
 * chat history for context shift". Driven through engine.dispatch with the real job queue and model host running.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import type { EventPayload } from "../../core/api/index.ts";
import { Engine } from "../../core/engine.ts";
import { localModels } from "../../core/model/localModels.ts";

const modelPath = resolve(import.meta.dirname, "../../../shared/models/stories260K/stories260K.gguf");
const skip = existsSync(modelPath) ? false : `${modelPath} is absent (no shared model fixtures here)`;

describe("chat on stories260K with default settings", { skip }, () => {
  let dataDir: string;
  let engine: Engine;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "engram-stories-chat-"));
    engine = await Engine.open({ dataDir, models: localModels({ modelFile: modelPath }) });
  });
  after(async () => {
    await engine?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function call<T>(method: string, input: unknown): Promise<T> {
    const result = await engine.dispatch(method, input);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    return result.data as T;
  }

  async function turn(text: string, conversationId?: string) {
    const sent = await call<{ conversationId: string; assistantMessageId: string }>("chat.send", {
      text,
      ...(conversationId ? { conversationId } : {}),
    });
    const done = await new Promise<EventPayload<"chat.done">>((resolve) => {
      const off = engine.events.on("chat.done", (event) => {
        if (event.assistantMessageId !== sent.assistantMessageId) return;
        off();
        resolve(event);
      });
    });
    const { messages } = await call<{ messages: { id: string; content: string }[] }>("messages.list", {
      conversationId: sent.conversationId,
    });
    const reply = messages.find((message) => message.id === sent.assistantMessageId)?.content ?? "";
    return { ...sent, done, reply };
  }

  test("eight turns in a row, then new conversations recalling the long replies, all answer", async () => {
    const settings = await call<{ promptBudgetTokens: number; contextSize?: number }>("settings.get", {});
    assert.equal(settings.promptBudgetTokens, 3500);
    assert.equal(settings.contextSize, undefined, "default settings");
    let conversationId: string | undefined;
    const replies: string[] = [];
    for (let index = 0; index < 8; index++) {
      const result = await turn(`Tell me a story about Lily and her dog, number ${index}.`, conversationId);
      conversationId = result.conversationId;
      assert.equal(result.done.status, "done", `turn ${index}: ${JSON.stringify(result.done.error)}`);
      replies.push(result.reply);
    }
    assert.ok(
      replies.some((reply) => reply.length > 300),
      "the model wrote long replies, which later prompts must leave out when they do not fit",
    );
    await engine.maintain(); // the app compacts on a schedule; then full-text recall covers every turn
    for (const text of ["Lily and her dog went to the park.", "What did Lily say to her dog?", "Once upon a time"]) {
      const result = await turn(text);
      assert.equal(result.done.status, "done", `${text}: ${JSON.stringify(result.done.error)}`);
      assert.ok(result.done.memoryIds.length > 0, "earlier turns were recalled into the prompt");
    }
  });
});
