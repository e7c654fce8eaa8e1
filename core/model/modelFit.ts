import type { GgufInsights } from "node-llama-cpp";
import { EngramError } from "../errors.ts";

/** Sequences every chat context holds: one for the user's chat, one for background memory jobs. */
export const sequencesPerContext = 2;

/** Largest context chosen when the user did not set one: long enough for a 3,500-token prompt plus a reply. */
export const defaultMaxContextSize = 8192;

/** Largest context a user may ask for (the longest-context models take a million tokens). */
export const maxContextSize = 1_048_576;

/** Refuses a context size no model here can be given, before anything is unloaded or allocated. */
export function checkContextSize(contextSize: number | undefined): void {
  if (contextSize !== undefined && contextSize > maxContextSize) {
    throw new EngramError(
      "bad_input",
      `A context of ${contextSize} tokens is more than a model can be given here (at most ${maxContextSize}). ` +
        "Pick a smaller context size, or clear it to let Engram choose.",
    );
  }
}

export interface MemoryState {
  /** RAM the model may still use, in bytes. */
  freeRam: number;
  /** Free video memory in bytes (0 without a GPU). */
  freeVram: number;
}

export interface ModelFit {
  contextSize: number;
  gpuLayers: number;
  ramBytes: number;
  vramBytes: number;
}

const gigabytes = (bytes: number): string => (bytes / 1024 ** 3).toFixed(2);

/**
 * Checks, with node-llama-cpp's own estimates, that the model plus a context of `contextSize` tokens in each of the
 * two sequences fits the memory that is free now, before anything is allocated: a model that does not fit is refused
 * with a sentence the user can act on instead of crashing the host. Without a requested size, the largest of a few
 * sensible sizes (up to the model's training context) that fits is chosen.
 */
export function assessModelFit(
  insights: GgufInsights,
  request: { contextSize?: number; gpuLayers: number },
  memory: MemoryState,
): ModelFit {
  checkContextSize(request.contextSize);
  const train = insights.trainContextSize ?? defaultMaxContextSize;
  const candidates =
    request.contextSize !== undefined
      ? [request.contextSize]
      : [...new Set([Math.min(train, defaultMaxContextSize), Math.min(train, 4096), Math.min(train, 2048)])];
  const model = insights.estimateModelResourceRequirements({ gpuLayers: request.gpuLayers });
  let smallest: ModelFit | undefined;
  for (const contextSize of candidates) {
    const context = insights.estimateContextResourceRequirements({
      contextSize,
      modelGpuLayers: request.gpuLayers,
      sequences: sequencesPerContext,
    });
    const fit: ModelFit = {
      contextSize,
      gpuLayers: request.gpuLayers,
      ramBytes: model.cpuRam + context.cpuRam,
      vramBytes: model.gpuVram + context.gpuVram,
    };
    // An estimate that overflowed (negative or not finite) is no promise that it fits.
    const sane = [fit.ramBytes, fit.vramBytes].every((bytes) => Number.isFinite(bytes) && bytes >= 0);
    if (sane && fit.ramBytes <= memory.freeRam && fit.vramBytes <= memory.freeVram) return fit;
    smallest = fit;
  }
  if (!smallest) throw new EngramError("internal", "No context size to try.");
  const vramShort = smallest.vramBytes > memory.freeVram;
  const [needed, free, kind] = vramShort
    ? [smallest.vramBytes, memory.freeVram, "GPU memory"]
    : [smallest.ramBytes, memory.freeRam, "memory"];
  throw new EngramError(
    "insufficient_memory",
    `This model needs ${gigabytes(needed)} GB of ${kind} with a ${smallest.contextSize}-token context, ` +
      `${gigabytes(free)} GB free. Close other programs, lower the context size, or pick a smaller model.`,
  );
}
