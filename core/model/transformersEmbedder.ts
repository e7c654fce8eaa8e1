import { existsSync } from "node:fs";
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

/**
 * A sentence embedder on @huggingface/transformers (feature extraction, mean pooling, L2 normalisation), loaded only
 * from the data folder: remote models are switched off before anything is loaded, so embedding never touches the
 * network. Vectors are normalised, so a dot product is the cosine similarity.
 */
export class TransformersEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly #extractor: FeatureExtractionPipeline;
  readonly #batchSize: number;
  #disposed = false;

  private constructor(id: string, dimensions: number, extractor: FeatureExtractionPipeline, batchSize: number) {
    this.id = id;
    this.dimensions = dimensions;
    this.#extractor = extractor;
    this.#batchSize = batchSize;
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
    const probe = await extractor(["dimension probe"], { pooling: "mean", normalize: true });
    const dimensions = probe.dims.at(-1) ?? 0;
    return new TransformersEmbedder(id, dimensions, extractor, options.batchSize ?? 16);
  }

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (this.#disposed) throw new EngramError("internal", `The embedder ${this.id} was already disposed.`);
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      // A batch is not interruptible, so the signal is checked between batches.
      if (options.signal?.aborted) throw new CancelledError("Embedding was cancelled.");
      const batch = texts.slice(start, start + this.#batchSize);
      const output = await this.#extractor(batch, { pooling: "mean", normalize: true });
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
