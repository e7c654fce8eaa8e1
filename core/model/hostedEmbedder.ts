import { CancelledError } from "../errors.ts";
import type { Embedder } from "./interfaces.ts";
import type { ModelHostClient } from "./modelHostClient.ts";

/** Texts per host request: small enough that an abort stops within one batch, large enough to amortise the hop. */
const textsPerRequest = 64;

/** An Embedder whose transformers.js pipeline runs in the model host process (see TransformersEmbedder). */
export class HostedEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly #client: ModelHostClient;

  constructor(options: { id: string; dimensions: number; client: ModelHostClient }) {
    this.id = options.id;
    this.dimensions = options.dimensions;
    this.#client = options.client;
  }

  async embed(texts: string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += textsPerRequest) {
      if (options.signal?.aborted) throw new CancelledError("Embedding was cancelled.");
      const batch = texts.slice(start, start + textsPerRequest);
      const reply = (await this.#client.call({ type: "embed", texts: batch })) as { vectors: number[][] };
      for (const vector of reply.vectors) vectors.push(Float32Array.from(vector));
    }
    return vectors;
  }
}
