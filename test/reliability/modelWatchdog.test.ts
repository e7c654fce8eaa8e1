/**
 * A model host that hangs (here: frozen with SIGSTOP, as a deadlock in native code would leave it) is noticed by the
 * watchdog, killed and restarted: the request in flight fails cleanly with model_crashed, the user is told through
 * models.status, the app keeps answering meanwhile, and the next request works on the restarted host.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { EventPayload } from "../../core/api/index.ts";
import { Engine } from "../../core/engine.ts";
import { EngramError } from "../../core/errors.ts";
import { EventBus } from "../../core/eventBus.ts";
import { GenerationScheduler } from "../../core/model/generationScheduler.ts";
import { HostedChatModel } from "../../core/model/hostedChatModel.ts";
import { forkHostSpawner } from "../../core/model/hostSpawner.ts";
import { ModelHostClient } from "../../core/model/modelHostClient.ts";
import { ensureTinyModel } from "../model/fixtures/tinyModel.ts";
import { ScriptedModelService } from "../support/scriptedModel.ts";
import { openTempEngine } from "../support/tempEngine.ts";

/** Short deadlines so the test need not wait minutes; the tiny model answers in milliseconds. */
const deadlinesMs = { generate: 4000, countTokens: 4000 };
const conversation = [
  { role: "system" as const, content: "You are Engram." },
  { role: "user" as const, content: "Tell me a long story about Lisbon." },
];

/** Freezes a process the way a hang would: it stays alive, holds its memory, and answers nothing. */
const freeze = (pid: number) => process.kill(pid, "SIGSTOP");

describe("model host watchdog", { timeout: 120_000 }, () => {
  let client: ModelHostClient;
  let model: HostedChatModel;
  const statuses: EventPayload<"models.status">[] = [];
  const events = new EventBus();

  before(async () => {
    const { modelPath } = ensureTinyModel();
    events.on("models.status", (status) => statuses.push(status));
    client = new ModelHostClient({ spawner: forkHostSpawner(), events, deadlinesMs });
    const info = await client.loadModel("tiny", { modelPath, gpu: false, contextSize: 2048 });
    model = new HostedChatModel({
      id: "tiny",
      contextSize: info.contextSize,
      client,
      scheduler: new GenerationScheduler(),
    });
  });
  after(async () => {
    await client.dispose();
    events.dispose();
  });

  test("a host that hangs mid-reply is killed; the reply fails with model_crashed; the host comes back", async (t) => {
    t.mock.method(console, "error", () => undefined);
    const hungPid = client.pid!;
    const reply = model.generate(conversation, {
      maxTokens: 4000,
      temperature: 0,
      onToken: () => {
        if (client.pid === hungPid) freeze(hungPid);
      },
    });
    await assert.rejects(reply, (error: unknown) => {
      assert.ok(error instanceof EngramError);
      assert.equal(error.code, "model_crashed");
      assert.match(error.message, /stopped responding \(silent for 4 s\) while generating a reply/);
      assert.match(error.message, /restarting/);
      return true;
    });
    const after = await model.generate(conversation, { maxTokens: 6, temperature: 0 });
    assert.ok(after.text.length > 0);
    assert.notEqual(client.pid, hungPid);
    assert.deepEqual(
      statuses.slice(-3).map((status) => status.state),
      ["crashed", "loading", "ready"],
    );
    assert.match(statuses.at(-3)?.message ?? "", /stopped responding/);
  });

  test("a host frozen before it answers a short request is caught by that request's deadline", async (t) => {
    t.mock.method(console, "error", () => undefined);
    const hungPid = client.pid!;
    freeze(hungPid);
    await assert.rejects(model.countTokens("How many tokens is this?"), /stopped responding.*counting tokens/);
    assert.ok((await model.countTokens("And now?")) > 0);
    assert.notEqual(client.pid, hungPid);
  });

  test("a healthy long reply is not cut off: the deadline restarts with every token", async () => {
    // Far longer in total than the 4 s deadline on a busy machine would allow if it were not restarted per token.
    const result = await model.generate(conversation, { maxTokens: 300, temperature: 0 });
    assert.equal(result.stopped, false);
  });
});

describe("the app while its model host hangs", { timeout: 120_000 }, () => {
  test("chat fails cleanly, the user is told, memory keeps answering, and the next chat works", async (t) => {
    t.mock.method(console, "error", () => undefined);
    const { modelPath } = ensureTinyModel();
    let client!: ModelHostClient;
    const { engine } = await openTempEngine(t, {
      models: async ({ events }) => {
        client = new ModelHostClient({ spawner: forkHostSpawner(), events, deadlinesMs });
        const info = await client.loadModel("tiny", { modelPath, gpu: false, contextSize: 2048 });
        const chat = new HostedChatModel({
          id: "tiny",
          contextSize: info.contextSize,
          client,
          scheduler: new GenerationScheduler(),
        });
        const service = new ScriptedModelService(chat);
        service.dispose = () => client.dispose();
        return service;
      },
    });
    const statuses: EventPayload<"models.status">[] = [];
    engine.events.on("models.status", (status) => statuses.push(status));
    const { conversationId } = await engine.call("memory.ingest", {
      turns: [{ speaker: "user", text: "My dentist is Dr. Okafor on Rua Augusta." }],
    });

    const hungPid = client.pid!;
    const done = waitForDone(engine);
    let frozen = false;
    const stopListening = engine.events.on("chat.token", () => {
      if (frozen) return;
      frozen = true;
      freeze(hungPid);
    });
    const sent = await engine.call("chat.send", { conversationId, text: "Who is my dentist?" });
    // While the host is frozen, everything that needs no model still answers.
    await waitUntil(() => frozen);
    assert.equal((await engine.call("memory.search", { query: "dentist" })).hits.length >= 1, true);
    const finished = await done;
    stopListening();
    assert.equal(finished.assistantMessageId, sent.assistantMessageId);
    assert.equal(finished.status, "error");
    assert.equal(finished.error?.code, "model_crashed");
    assert.ok(statuses.some((status) => status.state === "crashed" && /stopped responding/.test(status.message ?? "")));
    const { messages } = await engine.call("messages.list", { conversationId });
    assert.equal(messages.filter((message) => message.id === sent.assistantMessageId).length, 1);

    await waitUntil(() => statuses.at(-1)?.state === "ready");
    const next = waitForDone(engine);
    await engine.call("chat.send", { conversationId, text: "And again?" });
    assert.equal((await next).status, "done");
  });
});

function waitForDone(engine: Engine): Promise<EventPayload<"chat.done">> {
  return new Promise((resolve) => {
    const off = engine.events.on("chat.done", (payload) => {
      off();
      resolve(payload);
    });
  });
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
