/**
 * The same runtime checks on a real tiny Llama (stories260K, trained on TinyStories), when ../shared has it.
 * It is a completion model without a chat template, so node-llama-cpp picks a generic chat wrapper for it.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { getLlama } from "node-llama-cpp";
import { startHost, type HostHarness } from "./fixtures/hostHarness.ts";
import { schemaViolations } from "./fixtures/jsonSchemaCheck.ts";

const repoRoot = resolve(import.meta.dirname, "../..");
const modelPath = resolve(repoRoot, "../shared/models/stories260K/stories260K.gguf");
const skip = existsSync(modelPath) ? false : `${modelPath} is absent (no shared model fixtures here)`;

describe("model host on stories260K", { skip }, () => {
  let host: HostHarness;
  before(async () => {
    host = await startHost(modelPath, { contextSize: 512 });
  });
  after(async () => {
    await host?.dispose();
  });

  test("streams a story continuation", async () => {
    const pieces: string[] = [];
    const result = await host.model.generate([{ role: "user", content: "Once upon a time, there was a little girl" }], {
      maxTokens: 30,
      temperature: 0,
      onToken: (text) => pieces.push(text),
    });
    assert.ok(pieces.length > 1);
    assert.equal(pieces.join(""), result.text);
    assert.match(result.text, /[a-z]/);
  });

  test("countTokens matches node-llama-cpp's tokenizer for this model loaded directly", async () => {
    const llama = await getLlama({ build: "never", gpu: false });
    const direct = await llama.loadModel({ modelPath, vocabOnly: true });
    try {
      for (const text of ["Once upon a time", "Lily and Ben went to the park. They saw a big dog!", " spaces  here "]) {
        assert.equal(await host.model.countTokens(text), direct.tokenize(text, false).length, text);
      }
    } finally {
      await direct.dispose();
      await llama.dispose();
    }
  });

  test("abort mid-stream, then a JSON job that follows its schema", async () => {
    const controller = new AbortController();
    let count = 0;
    const stopped = await host.model.generate([{ role: "user", content: "Tell me a story." }], {
      maxTokens: 400,
      signal: controller.signal,
      onToken: () => {
        if (++count === 2) controller.abort();
      },
    });
    assert.equal(stopped.stopped, true);
    const schema = {
      type: "object",
      properties: { happy: { type: "boolean" }, name: { type: "string", maxLength: 16 } },
    };
    const value = await host.model.generateJson([{ role: "user", content: "Lily was happy." }], schema);
    assert.deepEqual(schemaViolations(value, schema), []);
  });
});
