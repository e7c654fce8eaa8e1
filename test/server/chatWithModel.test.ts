import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { EventPayload } from "../../core/api/index.ts";
import { startHeadlessSession, type HeadlessSession } from "../../core/server/headlessSession.ts";
import { ensureTinyModel } from "../model/fixtures/tinyModel.ts";

describe("headless server with --model on a tiny GGUF (random weights, real tokenizer and chat template)", () => {
  let dataDir: string;
  let session: HeadlessSession;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "engram-server-model-"));
    const { modelPath } = ensureTinyModel();
    session = await startHeadlessSession(
      { dataDir, port: 0, modelFile: modelPath },
      { rendererDir: join(dataDir, "no-renderer") },
    );
  });

  after(async () => {
    await session?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function post<T>(method: string, input: unknown): Promise<T> {
    const response = await fetch(`${session.server.origin}/api/${method}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${session.server.token}`, "Content-Type": "application/json" },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as { ok: boolean; data: T; error?: unknown };
    assert.equal(body.ok, true, JSON.stringify(body.error));
    return body.data;
  }

  test("the model is installed and active, and a chat reply streams to done", async () => {
    const { models } = await post<{ models: { id: string; status: string }[] }>("models.list", {});
    assert.ok(
      models.some((model) => model.status === "active"),
      JSON.stringify(models),
    );
    const stats = await post<{ chatModel: string | null }>("stats.get", {});
    assert.ok(stats.chatModel, "the --model file is the chat model");

    const sent = await post<{ conversationId: string; assistantMessageId: string }>("chat.send", {
      text: "Hello there, my dog is called Pepper.",
    });
    const done = await new Promise<EventPayload<"chat.done">>((resolve) => {
      const off = session.engine.events.on("chat.done", (event) => {
        if (event.assistantMessageId !== sent.assistantMessageId) return;
        off();
        resolve(event);
      });
    });
    assert.equal(done.status, "done", JSON.stringify(done.error));
    const { messages } = await post<{ messages: { role: string; status: string }[] }>("messages.list", {
      conversationId: sent.conversationId,
    });
    assert.deepEqual(
      messages.map((message) => [message.role, message.status]),
      [
        ["user", "done"],
        ["assistant", "done"],
      ],
    );
  });
});
