import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startHeadlessSession, type HeadlessSession } from "../../core/server/headlessSession.ts";

describe("headless server on the real engine, in a temporary data folder, without a model", () => {
  let dataDir: string;
  let session: HeadlessSession;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "engram-server-"));
    session = await startHeadlessSession({ dataDir, port: 0 }, { rendererDir: join(dataDir, "no-renderer") });
  });

  after(async () => {
    await session.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function post<T>(method: string, input: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${session.server.origin}/api/${method}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${session.server.token}`, "Content-Type": "application/json" },
      body: JSON.stringify(input),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  test("a created conversation is listed", async () => {
    const created = await post<{ ok: true; data: { id: string } }>("conversations.create", { title: "Garden" });
    assert.equal(created.status, 200);
    const listed = await post<{ data: { conversations: { id: string; title: string }[] } }>("conversations.list", {});
    assert.deepEqual(
      listed.body.data.conversations.find((conversation) => conversation.id === created.body.data.id)?.title,
      "Garden",
    );
  });

  test("ingested turns are found by search", async () => {
    const ingested = await post<{ ok: boolean }>("memory.ingest", {
      turns: [
        { speaker: "user", text: "My cat Miso is afraid of the vacuum cleaner." },
        { speaker: "user", text: "I am learning the cello on Tuesdays." },
      ],
    });
    assert.equal(ingested.status, 200);
    const found = await post<{ data: { hits: { text: string }[] } }>("memory.search", { query: "cello" });
    assert.equal(found.status, 200);
    assert.match(found.body.data.hits[0]?.text ?? "", /cello/);
  });

  test("a missing conversation is 404 not_found", async () => {
    const missing = await post<{ error: { code: string } }>("messages.list", { conversationId: "conv_nope" });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "not_found");
  });

  test("chat without a model: chat.done carries no_model over the event stream, and messages.list keeps it", async () => {
    const controller = new AbortController();
    const stream = await fetch(`${session.server.origin}/api/events`, {
      headers: { Authorization: `Bearer ${session.server.token}` },
      signal: controller.signal,
    });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);

    const sent = await post<{ data: { conversationId: string; assistantMessageId: string } }>("chat.send", {
      text: "What is my cat called?",
    });
    assert.equal(sent.status, 200);
    const { conversationId, assistantMessageId } = sent.body.data;
    while (!text.includes(`"assistantMessageId":"${assistantMessageId}"`) || !text.includes("event: chat.done")) {
      text += decoder.decode((await reader.read()).value);
    }
    const doneLine = text
      .split("\n\n")
      .find((block) => block.startsWith("event: chat.done") && block.includes(assistantMessageId))!;
    const done = JSON.parse(doneLine.split("\ndata: ")[1]!) as { status: string; error?: { code: string } };
    assert.equal(done.status, "error");
    assert.equal(done.error?.code, "no_model");
    controller.abort();
    await reader.cancel().catch(() => undefined);

    const listed = await post<{ data: { messages: { id: string; role: string; status: string; error?: string }[] } }>(
      "messages.list",
      { conversationId },
    );
    const reply = listed.body.data.messages.find((message) => message.id === assistantMessageId);
    assert.equal(reply?.status, "error");
    assert.match(reply?.error ?? "", /model/i);
    assert.ok(
      listed.body.data.messages.some((message) => message.role === "user"),
      "the user's message is kept",
    );
  });

  test("without a built renderer, the page explains how to build it", async () => {
    const page = await fetch(`${session.server.origin}/`);
    assert.equal(page.status, 404);
    assert.match(await page.text(), /npm run build:renderer/);
  });
});
