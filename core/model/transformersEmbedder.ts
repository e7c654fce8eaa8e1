import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { env, pipeline, type FeatureExtractionPipeline } from "@huggingface/transformers";
import { CancelledError, EngramError } from "../errors.ts";
import type { Embedder } from "./interfaces.ts";

export interface TransformersEmbedderOptions {
  /** Folder holding the embedder (config.json, tokenizer.json, onnx/model*.onnx): `<dataDir>/models/<embedderId>`. */
  directory: string;
  /** Stable id recorded with every vector; defaults to the folder name. */
  embedderId?: string;
  /** Texts per forward pass: large enough to use the CPU well, small enough to keep memory flat. */
  batchSize?: number;
}

/** ONNX weight files in the order we prefer them: the 8-bit quantised file is 4x smaller and nearly as good. */
const weightFiles = [
  { file: "model_quantized.onnx", dtype: "q8" },
  { file: "model.onnx", dtype: "fp32" },
] as const;

/** How token vectors become one sentence vector (the pooling modes transformers.js offers that embedders use). */
export type Pooling = "mean" | "cls" | "last_token";

/**
 * The embedder's own pooling, as sentence-transformers records it in `1_Pooling/config.json`; mean pooling (what
 * most sentence embedders, all-MiniLM-L6-v2 included, are trained with) when the folder has no such file.
 */
export function readPooling(directory: string): Pooling {
  const path = join(directory, "1_Pooling", "config.json");
  if (!existsSync(path)) return "mean";
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new EngramError("model_load_failed", `${path} is not valid JSON: ${errorText(error)}`, { cause: error });
  }
  if (config.pooling_mode_cls_token === true) return "cls";
  if (config.pooling_mode_lasttoken === true) return "last_token";
  if (config.pooling_mode_mean_tokens === true) return "mean";
  throw new EngramError(
    "model_load_failed",
    `${path} asks for a pooling mode Engram does not support (mean, CLS and last-token are).`,
  );
}

/**
 * A sentence embedder on @huggingface/transformers (feature extraction, the embedder's pooling, L2 normalisation), loaded only
 * from the data folder: remote models are switched off before anything is loaded, so embedding never touches the
 * network. Vectors are normalised, so a dot product is the cosine similarity.
 */
export class TransformersEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly #extractor: FeatureExtractionPipeline;
  readonly #batchSize: number;
  readonly #pooling: Pooling;
  #disposed = false;

  private constructor(
    id: string,
    dimensions: number,
    extractor: FeatureExtractionPipeline,
    batchSize: number,
    pooling: Pooling,
  ) {
    this.id = id;
    this.dimensions = dimensions;
    this.#extractor = extractor;
    this.#batchSize = batchSize;
    this.#pooling = pooling;
  }

  static async load(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const id = options.embedderId ?? basename(options.directory);
    // transformers.js resolves a model id against localModelPath; these settings are process-wide, which is fine
    // because only the model host (or a test) loads embedders, and both want the same offline-only behaviour.
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = dirname(options.directory) + "/";
    const missing = ["config.json", "tokenizer.json"].filter((file) => !existsSync(join(options.directory, file)));
    if (missing.length > 0) {
      throw new EngramError(
        "model_load_failed",
        `The embedder ${id} is incomplete: ${missing.join(", ")} missing in ${options.directory}. Download it again.`,
      );
    }
    const pooling = readPooling(options.directory);
    const weights = weightFiles.find((candidate) => existsSync(join(options.directory, "onnx", candidate.file)));
    if (!weights) {
      throw new EngramError(
        "model_load_failed",
        `The embedder ${id} has no ONNX weights (expected onnx/model_quantized.onnx or onnx/model.onnx in ` +
          `${options.directory}). Download it again.`,
      );
    }
    let extractor: FeatureExtractionPipeline;
    try {
      extractor = await pipeline("feature-extraction", basename(options.directory), {
        local_files_only: true,
        dtype: weights.dtype,
      });
    } catch (error) {
      throw new EngramError("model_load_failed", `Loading the embedder ${id} failed: ${errorText(error)}`, {
        cause: error,
      });
    }
    const probe = await extractor(["dimension probe"], { pooling, normalize: true });
    const dimensions = probe.dims.at(-1) ?? 0;
    return new TransformersEmbedder(id, dimensions, extractor, options.batchSize ?? 16, pooling);
  }

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (this.#disposed) throw new EngramError("internal", `The embedder ${this.id} was already disposed.`);
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      // A batch is not interruptible, so the signal is checked between batches.
      if (options.signal?.aborted) throw new CancelledError("Embedding was cancelled.");
      const batch = texts.slice(start, start + this.#batchSize);
      // Always normalised, whatever the model: the Embedder contract is that a dot product is the cosine similarity.
      const output = await this.#extractor(batch, { pooling: this.#pooling, normalize: true });
      const data = output.data as Float32Array;
      for (let row = 0; row < batch.length; row++) {
        vectors.push(data.slice(row * this.dimensions, (row + 1) * this.dimensions));
      }
    }
    return vectors;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#extractor.dispose();
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
