import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { httpStatusOfErrorCode } from "../../core/server/httpStatus.ts";
import { errorCodes } from "../../core/api/index.ts";
import { HeadlessServer } from "../../core/server/headlessServer.ts";
import { ApiCallError, ApiClient } from "../../renderer/api/apiClient.ts";
import { HttpTransport } from "../../renderer/api/httpTransport.ts";
import { ServerSentEventParser } from "../../renderer/api/serverSentEvents.ts";
import { FakeEngine } from "./fakeEngine.ts";

describe("error codes to HTTP statuses", () => {
  test("every code has a status; 5xx only for faults of the app, its model host or the network", () => {
    for (const code of errorCodes) assert.ok(httpStatusOfErrorCode[code] >= 400, code);
    const serverSide = errorCodes.filter((code) => httpStatusOfErrorCode[code] >= 500).sort();
    assert.deepEqual(serverSide, [
      "download_failed",
      "insufficient_disk",
      "insufficient_memory",
      "internal",
      "model_crashed",
      "storage_unavailable",
    ]);
    assert.equal(httpStatusOfErrorCode.no_model, 409);
  });
});

describe("server-sent event parser", () => {
  test("splits events across arbitrary chunk boundaries, skips comments, joins multi-line data", () => {
    const parser = new ServerSentEventParser();
    const stream =
      ': connected\n\nevent: chat.token\ndata: {"text":"a"}\n\n: heartbeat\r\n\r\ndata: one\ndata: two\n\n';
    const events = [];
    for (let index = 0; index < stream.length; index += 3) events.push(...parser.push(stream.slice(index, index + 3)));
    assert.deepEqual(events, [
      { event: "chat.token", data: '{"text":"a"}' },
      { event: "message", data: "one\ntwo" },
    ]);
  });
});

describe("the renderer's HTTP client against the headless server", () => {
  let engine: FakeEngine;
  let server: HeadlessServer;
  let client: ApiClient;

  before(async () => {
    engine = new FakeEngine();
    server = await HeadlessServer.start({ engine });
    client = new ApiClient(new HttpTransport({ origin: server.origin, token: server.token }));
  });

  after(async () => {
    client.dispose();
    await server.close();
  });

  test("typed calls resolve with the output; failures throw ApiCallError with the code", async () => {
    const conversation = await client.call("conversations.create", { title: "Typed" });
    assert.equal(conversation.title, "Typed");
    await assert.rejects(
      client.call("messages.list", { conversationId: "nope" }),
      (error: unknown) => error instanceof ApiCallError && error.code === "not_found",
    );
  });

  test("events arrive through the authenticated stream, and unsubscribing stops them", async () => {
    const received: string[] = [];
    const unsubscribe = client.on("chat.done", (payload) => received.push(payload.error?.code ?? "none"));
    while (server.eventStreamCount === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await client.call("chat.send", { text: "hello" });
    while (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(received, ["no_model"]);
    unsubscribe();
    engine.events.emit("chat.done", { conversationId: "c", assistantMessageId: "m", status: "done", memoryIds: [] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(received, ["no_model"]);
  });

  test("a wrong token is reported, not thrown as a network error", async () => {
    const stranger = new ApiClient(new HttpTransport({ origin: server.origin, token: "wrong" }));
    await assert.rejects(
      stranger.call("conversations.list", {}),
      (error: unknown) => error instanceof ApiCallError && error.code === "unauthorized",
    );
  });
});
