/**
 * The optional OpenAI-compatible backend (a local Ollama or llama-server), chosen in settings, against a local HTTP
 * server that speaks the chat-completions protocol: streaming, stop, JSON calls, and a clear error when it is down.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Settings } from "../../core/api/index.ts";
import { EventBus } from "../../core/eventBus.ts";
import { LocalModelService } from "../../core/model/localModelService.ts";
import { defaultSettings } from "../../core/store/settingsStore.ts";

const settings: Settings = { ...defaultSettings };

async function body(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of request) text += chunk;
  return JSON.parse(text) as Record<string, unknown>;
}

describe("OpenAI-compatible endpoint as the chat model", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "engram-openai-"));
  const requests: { authorization?: string; body: Record<string, unknown> }[] = [];
  let server: Server;
  let baseUrl: string;
  let service: LocalModelService;

  before(async () => {
    server = createServer(async (request, response) => {
      const payload = await body(request);
      requests.push({ authorization: request.headers.authorization, body: payload });
      if (request.url !== "/v1/chat/completions") return void response.writeHead(404).end("no such route");
      if (payload.stream) {
        response.writeHead(200, { "content-type": "text/event-stream" });
        const pieces = payload.max_tokens === 1000 ? Array.from({ length: 1000 }, () => "la ") : ["Hel", "lo", "!"];
        for (const piece of pieces) {
          if (response.destroyed) return;
          response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: piece } }] })}\n\n`);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        response.end("data: [DONE]\n\n");
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ choices: [{ message: { content: '{"city":"Lisbon"}' } }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    service = await LocalModelService.create({ dataDir, events: new EventBus() });
    await service.applySettings({ ...settings, openAiEndpoint: { baseUrl, model: "llama3.2", apiKey: "secret" } });
  });
  after(async () => {
    await service?.dispose();
    server?.closeAllConnections();
    server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("chosen in settings, it streams a reply with the configured model and key", async () => {
    const model = service.chatModel();
    assert.equal(model?.id, "openai:llama3.2");
    const pieces: string[] = [];
    const reply = await model!.generate([{ role: "user", content: "Hi" }], { onToken: (text) => pieces.push(text) });
    assert.deepEqual(reply, { text: "Hello!", stopped: false });
    assert.deepEqual(pieces, ["Hel", "lo", "!"]);
    assert.equal(requests.at(-1)?.authorization, "Bearer secret");
    assert.equal(requests.at(-1)?.body.model, "llama3.2");
  });

  test("stopping keeps the text so far", async () => {
    const controller = new AbortController();
    let count = 0;
    const reply = await service.chatModel()!.generate([{ role: "user", content: "Sing" }], {
      maxTokens: 1000,
      signal: controller.signal,
      onToken: () => {
        if (++count === 3) controller.abort();
      },
    });
    assert.equal(reply.stopped, true);
    assert.equal(reply.text, "la la la ");
  });

  test("a JSON call asks for the schema and returns the parsed value", async () => {
    const schema = { type: "object", properties: { city: { type: "string" } } };
    const value = await service.chatModel()!.generateJson([{ role: "user", content: "Where?" }], schema);
    assert.deepEqual(value, { city: "Lisbon" });
    const format = requests.at(-1)?.body.response_format as { json_schema?: { schema?: unknown } };
    assert.deepEqual(format.json_schema?.schema, schema);
  });

  test("an endpoint that is down fails with no_model and says which one", async () => {
    await service.applySettings({
      ...settings,
      openAiEndpoint: { baseUrl: "http://127.0.0.1:9/v1", model: "llama3.2" },
    });
    await assert.rejects(service.chatModel()!.generate([{ role: "user", content: "Hi" }]), {
      code: "no_model",
      message: /127\.0\.0\.1:9\/v1 cannot be reached/,
    });
  });
});
