/**
 * Settings and the models they choose (issue 8, defect 7), through engine.dispatch with the real model service, a
 * real host process and a real GGUF (stories260K, or the generated tiny model where it is absent): every optional setting clears with null, models.use of a local model
 * survives later settings changes, and a change the engine cannot apply is refused while the model that worked stays
 * loaded and answers.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import type { EventPayload, Settings } from "../../core/api/index.ts";
import { Engine } from "../../core/engine.ts";
import { localModels } from "../../core/model/localModels.ts";
import { ensureTinyModel } from "./fixtures/tinyModel.ts";

const stories260K = resolve(import.meta.dirname, "../../../shared/models/stories260K/stories260K.gguf");

describe("settings and models", () => {
  let dataDir: string;
  let engine: Engine;
  let localId: string;
  let otherId: string;
  let otherPath: string;
  const endpoint = { baseUrl: "http://127.0.0.1:9/v1", model: "llama3.2" };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "engram-settings-"));
    // stories260K loads in a fraction of a second (a 512-token vocabulary); the generated model is the fallback.
    const modelPath = existsSync(stories260K) ? stories260K : ensureTinyModel().modelPath;
    const localPath = join(dataDir, "tiny.gguf");
    otherPath = join(dataDir, "other.gguf");
    await copyFile(modelPath, localPath);
    await copyFile(modelPath, otherPath);
    // No background jobs: a summary by random weights would only slow this test down.
    engine = await Engine.open({ dataDir, models: localModels(), runJobs: false });
    localId = (await ok<{ id: string }>("models.import", { path: localPath })).id;
    otherId = (await ok<{ id: string }>("models.import", { path: otherPath })).id;
    await ok("models.use", { id: localId });
  });
  after(async () => {
    await engine?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function ok<T>(method: string, input: unknown): Promise<T> {
    const result = await engine.dispatch(method, input);
    assert.ok(result.ok, `${method}: ${JSON.stringify(!result.ok && result.error)}`);
    return result.data as T;
  }
  const chatModel = async () => (await ok<{ chatModel: string | null }>("stats.get", {})).chatModel;
  const settings = () => ok<Settings>("settings.get", {});

  /** The chat model answers: its first token arrives (then the reply is stopped, to keep the test short). */
  async function replies(): Promise<void> {
    const sent = await ok<{ assistantMessageId: string }>("chat.send", { text: "Hello, are you there?" });
    const done = new Promise<EventPayload<"chat.done">>((resolve) => {
      const off = engine.events.on("chat.done", (event) => {
        if (event.assistantMessageId !== sent.assistantMessageId) return;
        off();
        resolve(event);
      });
    });
    const answered = await Promise.race([
      new Promise<boolean>((resolve) => {
        const off = engine.events.on("chat.token", (event) => {
          if (event.assistantMessageId !== sent.assistantMessageId) return;
          off();
          resolve(true);
        });
      }),
      done.then((event) => {
        assert.fail(`the reply ended without a token: ${JSON.stringify(event)}`);
      }),
    ]);
    assert.equal(answered, true);
    await ok("chat.stop", { assistantMessageId: sent.assistantMessageId });
    assert.equal((await done).status, "stopped");
  }

  test("models.use of a local model is not undone by a later settings.update of another key", async () => {
    await ok("settings.update", { openAiEndpoint: endpoint });
    assert.equal(await chatModel(), "openai:llama3.2");
    await ok("models.use", { id: localId });
    assert.equal(await chatModel(), localId);
    await ok("settings.update", { forgetAfterDays: 90 });
    assert.equal(await chatModel(), localId, "still the local model");
    assert.equal((await settings()).openAiEndpoint, undefined);
  });

  test("every optional setting can be cleared with null", async () => {
    await ok("settings.update", {
      threads: 1,
      contextSize: 1024,
      embedderId: "all-minilm-l6-v2",
      openAiEndpoint: endpoint,
    });
    assert.equal(await chatModel(), "openai:llama3.2");
    const cleared = await ok<Settings>("settings.update", {
      openAiEndpoint: null,
      threads: null,
      contextSize: null,
      embedderId: null,
    });
    for (const key of ["openAiEndpoint", "threads", "contextSize", "embedderId"] as const) {
      assert.equal(cleared[key], undefined, key);
      assert.equal((await settings())[key], undefined, `${key} stays cleared`);
    }
    assert.equal(await chatModel(), localId, "clearing the endpoint goes back to the local model");
    await replies();
    await ok("settings.update", { chatModelId: null });
    assert.equal((await settings()).chatModelId, undefined);
    assert.equal(await chatModel(), null);
  });

  test("a context size the engine cannot apply is refused and the model that worked stays loaded", async () => {
    await ok("models.use", { id: localId });
    const before = await settings();
    const refused = await engine.dispatch("settings.update", { contextSize: 2147483648 });
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.code, "bad_input", JSON.stringify(refused));
    assert.match(!refused.ok ? refused.error.message : "", /context of 2147483648 tokens is more than/);
    assert.deepEqual(await settings(), before, "nothing was saved");
    assert.equal(await chatModel(), localId);
    await replies();
  });

  test("a failed models.use is refused and the model that worked stays loaded", async () => {
    const whole = await readFile(otherPath);
    await writeFile(otherPath, whole.subarray(0, 3000)); // damaged after it was imported
    try {
      const refused = await engine.dispatch("models.use", { id: otherId });
      assert.equal(refused.ok, false);
      assert.notEqual(!refused.ok && refused.error.code, "internal", JSON.stringify(refused));
      assert.equal(await chatModel(), localId);
      assert.equal((await settings()).chatModelId, localId, "the failed choice was not saved");
      await replies();
    } finally {
      await writeFile(otherPath, whole);
    }
  });

  test("settings changes and models.use sent together all take effect, one after another", async () => {
    const results = await Promise.all([
      engine.dispatch("settings.update", { forgetAfterDays: 40 }),
      engine.dispatch("models.use", { id: otherId }),
      engine.dispatch("settings.update", { digestEveryTurns: 50 }),
      engine.dispatch("settings.update", { systemPrompt: "You are a test." }),
      engine.dispatch("models.use", { id: localId }),
    ]);
    assert.ok(
      results.every((result) => result.ok),
      JSON.stringify(results.filter((result) => !result.ok)),
    );
    const now = await settings();
    assert.equal(now.forgetAfterDays, 40);
    assert.equal(now.digestEveryTurns, 50);
    assert.equal(now.systemPrompt, "You are a test.");
    assert.equal(now.chatModelId, localId, "the last models.use wins");
    assert.equal(await chatModel(), now.chatModelId, "what is loaded is what the settings say");
  });

  test("a model damaged while the app was closed does not block other settings, and models.use says why", async () => {
    await ok("models.use", { id: otherId });
    await engine.dispose();
    const whole = await readFile(otherPath);
    await writeFile(otherPath, whole.subarray(0, 3000));
    try {
      engine = await Engine.open({ dataDir, models: localModels(), runJobs: false });
      assert.equal(await chatModel(), null, "the damaged model is not loaded");
      const changed = await ok<Settings>("settings.update", { forgetAfterDays: 12 });
      assert.equal(changed.forgetAfterDays, 12, "an unrelated change is still taken");
      const retried = await engine.dispatch("models.use", { id: otherId });
      assert.equal(!retried.ok && retried.error.code, "bad_input", JSON.stringify(retried));
      assert.match(!retried.ok ? retried.error.message : "", /cannot be used as a model/);
      await ok("models.use", { id: localId });
      assert.equal(await chatModel(), localId);
    } finally {
      await writeFile(otherPath, whole);
    }
  });
});
