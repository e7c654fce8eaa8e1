/**
 * The embedder's offline loading path. Real ONNX weights cannot be downloaded on these machines, so this checks what
 * can be checked with the real tokenizer and config from ../shared (skipped with a message when absent): they load
 * with remote models switched off, and a missing weights file fails with a message that says what to do.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { AutoTokenizer, env } from "@huggingface/transformers";
import { EngramError } from "../../core/errors.ts";
import { readPooling, TransformersEmbedder } from "../../core/model/transformersEmbedder.ts";

const repoRoot = resolve(import.meta.dirname, "../..");
const sharedTokenizer = resolve(repoRoot, "../shared/models/all-MiniLM-L6-v2-tokenizer");
const skip = existsSync(sharedTokenizer) ? false : `${sharedTokenizer} is absent (no shared model fixtures here)`;

describe("TransformersEmbedder offline loading", { skip }, () => {
  const modelsDirectory = mkdtempSync(join(tmpdir(), "engram-embedder-"));
  const directory = join(modelsDirectory, "all-minilm-l6-v2");
  cpSync(sharedTokenizer, directory, { recursive: true });
  after(() => rmSync(modelsDirectory, { recursive: true, force: true }));

  test("without ONNX weights, loading fails with model_load_failed naming the missing file", async () => {
    await assert.rejects(TransformersEmbedder.load({ directory }), (error: unknown) => {
      assert.ok(error instanceof EngramError);
      assert.equal(error.code, "model_load_failed");
      assert.match(error.message, /no ONNX weights.*onnx\/model_quantized\.onnx/);
      return true;
    });
    assert.equal(env.allowRemoteModels, false, "remote models stay switched off after a load attempt");
  });

  test("the real tokenizer loads from the data folder with remote models off", async () => {
    await assert.rejects(TransformersEmbedder.load({ directory }));
    const tokenizer = await AutoTokenizer.from_pretrained("all-minilm-l6-v2", { local_files_only: true });
    const ids = tokenizer.encode("Ana moved to Lisbon.");
    assert.deepEqual(ids.slice(0, 1), [101]);
    assert.equal(ids.at(-1), 102);
  });

  test("a folder without config.json is reported as incomplete", async () => {
    const empty = join(modelsDirectory, "empty");
    await assert.rejects(TransformersEmbedder.load({ directory: empty }), /config\.json, tokenizer\.json missing/);
  });
});

describe("the embedder's pooling", () => {
  const directory = mkdtempSync(join(tmpdir(), "engram-pooling-"));
  after(() => rmSync(directory, { recursive: true, force: true }));
  const writePooling = (config: Record<string, unknown>) => {
    mkdirSync(join(directory, "1_Pooling"), { recursive: true });
    writeFileSync(join(directory, "1_Pooling", "config.json"), JSON.stringify(config));
  };

  test("follows sentence-transformers' 1_Pooling/config.json, and is mean pooling without one", () => {
    assert.equal(readPooling(directory), "mean");
    writePooling({ word_embedding_dimension: 384, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false });
    assert.equal(readPooling(directory), "cls");
    writePooling({ pooling_mode_cls_token: false, pooling_mode_mean_tokens: true });
    assert.equal(readPooling(directory), "mean");
  });

  test("an unsupported pooling mode is refused with a clear error instead of wrong vectors", () => {
    writePooling({ pooling_mode_max_tokens: true });
    assert.throws(() => readPooling(directory), { code: "model_load_failed", message: /pooling mode/ });
  });
});
