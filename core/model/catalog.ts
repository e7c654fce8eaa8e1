/**
 * Recommended models, by the RAM of the machine they suit. Everything here is a plain download from Hugging Face's
 * `resolve/main` endpoint; nothing is fetched until the user asks.
 *
 * Sizes are approximate (rounded from the publishers' listings) and used only to show the size and to check free
 * disk space before the server reports the exact length. No sha256 is listed: these machines cannot reach Hugging
 * Face to read the published hashes, and an invented hash would reject every correct download. The downloader
 * computes the sha256 of what it received and records it in the manifest; when a hash is known (a catalog entry
 * that has one, or `models.download { sha256 }`) the file is verified against it and deleted on mismatch.
 */

export interface CatalogFile {
  url: string;
  /** Where the file goes, relative to the model's folder under `<dataDir>/models/`. */
  path: string;
  /** Published sha256 (lowercase hex) when known; verified after download. */
  sha256?: string;
  /** Approximate size in bytes. */
  sizeBytes: number;
}

export interface CatalogEntry {
  id: string;
  name: string;
  kind: "chat" | "embedding";
  /** RAM tier in GB the entry is recommended for. */
  ramTierGb: number;
  licence: string;
  /** Training context length in tokens. */
  contextLength: number;
  /** True for the one chat model and the one embedder a new user gets with one click. */
  isDefault?: boolean;
  files: CatalogFile[];
}

const huggingFace = (repo: string, file: string) => `https://huggingface.co/${repo}/resolve/main/${file}`;

function gguf(
  entry: Omit<CatalogEntry, "kind" | "files"> & { repo: string; file: string; sizeBytes: number },
): CatalogEntry {
  const { repo, file, sizeBytes, ...rest } = entry;
  return { ...rest, kind: "chat", files: [{ url: huggingFace(repo, file), path: file, sizeBytes }] };
}

export const modelCatalog: readonly CatalogEntry[] = [
  gguf({
    id: "qwen3-4b-instruct-2507-q4km",
    name: "Qwen3 4B Instruct 2507 (Q4_K_M)",
    ramTierGb: 8,
    licence: "Apache-2.0",
    contextLength: 262144,
    isDefault: true,
    repo: "unsloth/Qwen3-4B-Instruct-2507-GGUF",
    file: "Qwen3-4B-Instruct-2507-Q4_K_M.gguf",
    sizeBytes: 2_500_000_000,
  }),
  gguf({
    id: "llama-3.2-3b-instruct-q4km",
    name: "Llama 3.2 3B Instruct (Q4_K_M)",
    ramTierGb: 8,
    licence: "Llama 3.2 Community License",
    contextLength: 131072,
    repo: "bartowski/Llama-3.2-3B-Instruct-GGUF",
    file: "Llama-3.2-3B-Instruct-Q4_K_M.gguf",
    sizeBytes: 2_020_000_000,
  }),
  gguf({
    id: "llama-3.1-8b-instruct-q4km",
    name: "Llama 3.1 8B Instruct (Q4_K_M)",
    ramTierGb: 16,
    licence: "Llama 3.1 Community License",
    contextLength: 131072,
    repo: "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF",
    file: "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
    sizeBytes: 4_920_000_000,
  }),
  gguf({
    id: "qwen3-8b-q4km",
    name: "Qwen3 8B (Q4_K_M)",
    ramTierGb: 16,
    licence: "Apache-2.0",
    contextLength: 32768,
    repo: "Qwen/Qwen3-8B-GGUF",
    file: "Qwen3-8B-Q4_K_M.gguf",
    sizeBytes: 5_030_000_000,
  }),
  gguf({
    id: "mistral-small-3.2-24b-instruct-q4km",
    name: "Mistral Small 3.2 24B Instruct 2506 (Q4_K_M)",
    ramTierGb: 32,
    licence: "Apache-2.0",
    contextLength: 131072,
    repo: "bartowski/mistralai_Mistral-Small-3.2-24B-Instruct-2506-GGUF",
    file: "mistralai_Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf",
    sizeBytes: 14_330_000_000,
  }),
  {
    id: "all-minilm-l6-v2",
    name: "all-MiniLM-L6-v2 sentence embedder (ONNX, 8-bit)",
    kind: "embedding",
    ramTierGb: 8,
    licence: "Apache-2.0",
    contextLength: 256,
    isDefault: true,
    files: [
      { url: huggingFace("Xenova/all-MiniLM-L6-v2", "config.json"), path: "config.json", sizeBytes: 650 },
      { url: huggingFace("Xenova/all-MiniLM-L6-v2", "tokenizer.json"), path: "tokenizer.json", sizeBytes: 712_000 },
      {
        url: huggingFace("Xenova/all-MiniLM-L6-v2", "tokenizer_config.json"),
        path: "tokenizer_config.json",
        sizeBytes: 370,
      },
      {
        url: huggingFace("Xenova/all-MiniLM-L6-v2", "onnx/model_quantized.onnx"),
        path: "onnx/model_quantized.onnx",
        sizeBytes: 23_000_000,
      },
    ],
  },
];

/** Total approximate size of an entry's files. */
export function catalogEntrySize(entry: CatalogEntry): number {
  return entry.files.reduce((sum, file) => sum + file.sizeBytes, 0);
}
