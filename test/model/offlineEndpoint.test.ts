/**
 * The OpenAI-compatible endpoint and the offline switch (issue 12, review items), through engine.dispatch with the
 * real model service and job queue, against a local server that counts every request: offline means no request at
 * all, from chat or from background jobs (which wait and run once offline is off); only http(s) endpoints are
 * taken; and what the endpoint answers in an error is never repeated into chat.done or the log.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { EventPayload } from "../../core/api/index.ts";
import { Engine } from "../../core/engine.ts";
import { localModels } from "../../core/model/localModels.ts";

const remoteSecret = "REMOTE-BODY-7f3a: internal stack trace and the prompt the server saw";

describe("OpenAI-compatible endpoint with offline mode", () => {
  let dataDir: string;
  let engine: Engine;
  let server: Server;
  let baseUrl: string;
  let failing = false;
  const requests: string[] = [];

  before(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? "");
      let text = "";
      request.on("data", (chunk: Buffer) => (text += chunk));
      request.on("end", () => {
        if (failing) return void response.writeHead(500, { "content-type": "text/plain" }).end(remoteSecret);
        const body = JSON.parse(text) as { stream?: boolean };
        if (body.stream) {
          response.writeHead(200, { "content-type": "text/event-stream" });
          const reply = JSON.stringify({ choices: [{ delta: { content: "Noted." } }] });
          return void response.end(`data: ${reply}\n\ndata: [DONE]\n\n`);
        }
        // A memory job's JSON call: one answer that serves a summary and a fact extraction alike.
        const content = JSON.stringify({ summary: "The user moved to Lisbon.", facts: [] });
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ choices: [{ message: { content } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    dataDir = await mkdtemp(join(tmpdir(), "engram-offline-"));
    engine = await Engine.open({ dataDir, models: localModels() });
  });
  after(async () => {
    await engine?.dispose();
    server?.closeAllConnections();
    server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function ok<T>(method: string, input: unknown): Promise<T> {
    const result = await engine.dispatch(method, input);
    assert.ok(result.ok, `${method}: ${JSON.stringify(!result.ok && result.error)}`);
    return result.data as T;
  }

  async function send(text: string): Promise<EventPayload<"chat.done">> {
    const sent = await ok<{ assistantMessageId: string }>("chat.send", { text });
    return new Promise((resolve) => {
      const off = engine.events.on("chat.done", (event) => {
        if (event.assistantMessageId !== sent.assistantMessageId) return;
        off();
        resolve(event);
      });
    });
  }

  test("only http and https endpoints are taken", async () => {
    for (const bad of ["file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/v1", "data:text/plain,hi"]) {
      const result = await engine.dispatch("settings.update", { openAiEndpoint: { baseUrl: bad, model: "m" } });
      assert.equal(!result.ok && result.error.code, "bad_input", `${bad}: ${JSON.stringify(result)}`);
    }
    assert.equal((await ok<{ openAiEndpoint?: unknown }>("settings.get", {})).openAiEndpoint, undefined);
  });

  test("with offline on, neither chat nor background jobs contact the endpoint; the jobs wait for it", async () => {
    await ok("settings.update", { openAiEndpoint: { baseUrl, model: "llama3.2", apiKey: "sk-secret" } });
    await ok("settings.update", { offline: true });
    const done = await send("My passport number is X1234567.");
    assert.equal(done.status, "error");
    assert.equal(done.error?.code, "forbidden");
    assert.match(done.error?.message ?? "", /Offline mode is on/);
    await ok("memory.ingest", { turns: [{ speaker: "user", text: "I moved to Lisbon in March." }] });
    await engine.drainJobs();
    assert.deepEqual(requests, [], "nothing was sent to the endpoint");
    const waiting = (await ok<{ pendingJobs: number }>("stats.get", {})).pendingJobs;
    assert.ok(waiting > 0, "the summary jobs wait, they are not given up");

    await ok("settings.update", { offline: false });
    await engine.drainJobs();
    assert.ok(requests.length > 0, "once offline is off, the waiting jobs run");
    assert.equal((await ok<{ pendingJobs: number }>("stats.get", {})).pendingJobs, 0);
    assert.equal((await send("Hello again.")).status, "done");
  });

  test("an endpoint's error body goes neither into chat.done nor into the log", async () => {
    const logged: string[] = [];
    const original = console.error;
    console.error = (...parts: unknown[]) => void logged.push(parts.map(String).join(" "));
    failing = true;
    try {
      const done = await send("Tell me something.");
      assert.equal(done.status, "error");
      assert.match(done.error?.message ?? "", /500/, "what failed is said (the status is fine)");
      assert.doesNotMatch(done.error?.message ?? "", /REMOTE-BODY/);
      await ok("memory.ingest", { turns: [{ speaker: "user", text: "Summarise me, please." }] });
      await engine.drainJobs(); // the summary and fact jobs fail against the endpoint and are logged
      const { messages } = await ok<{ messages: { error?: string }[] }>("messages.list", {
        conversationId: done.conversationId,
      });
      assert.doesNotMatch(JSON.stringify(messages), /REMOTE-BODY/);
    } finally {
      failing = false;
      console.error = original;
    }
    assert.ok(logged.length > 0, "the failed jobs were logged");
    assert.doesNotMatch(logged.join("\n"), /REMOTE-BODY/);
  });
});
