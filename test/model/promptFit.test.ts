/**
 * The model host sends a prompt whole or not at all (issue 8, defect 5): a prompt that leaves no room in the context
 * is refused with a clear error instead of node-llama-cpp's context shift dropping parts of it, and a reply is capped
 * to the room the prompt leaves. Runs on the generated tiny GGUF in a real host process with a 512-token context.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startHost, type HostHarness } from "./fixtures/hostHarness.ts";
import { ensureTinyModel } from "./fixtures/tinyModel.ts";

describe("prompts that do not fit the context", () => {
  let host: HostHarness;
  before(async () => {
    host = await startHost(ensureTinyModel().modelPath, { contextSize: 512 });
  });
  after(async () => {
    await host?.dispose();
  });

  test("countPromptTokens counts the chat template too", async () => {
    const messages = [
      { role: "system" as const, content: "You are Engram." },
      { role: "user" as const, content: "Hello there." },
    ];
    const plain = (await host.model.countTokens("You are Engram.")) + (await host.model.countTokens("Hello there."));
    assert.ok((await host.model.countPromptTokens(messages)) > plain);
  });

  test("a prompt longer than the context is refused clearly and nothing is generated", async () => {
    const content = "apples and pears ".repeat(400);
    await assert.rejects(
      host.model.generate([{ role: "user", content }], { maxTokens: 10 }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "bad_input");
        assert.match(error.message, /does not fit this model's context of 512 tokens/);
        assert.doesNotMatch(error.message, /compress/);
        return true;
      },
    );
  });

  test("a reply asked to run past the end of the context stops at the end instead of shifting", async () => {
    const messages = [{ role: "user" as const, content: "apples and pears ".repeat(100) }];
    const prompt = await host.model.countPromptTokens(messages);
    assert.ok(prompt < 500, `the prompt takes ${prompt} tokens`);
    const outcome = await host.client.generate({ sequence: "chat", messages, maxTokens: 2000, temperature: 0 });
    assert.ok(
      outcome.generatedTokens <= 512 - prompt,
      `${outcome.generatedTokens} tokens after a ${prompt}-token prompt`,
    );
  });
});
