import type { ModelEntry } from "../../../core/api/index.ts";

const gigabyte = 2 ** 30;

/**
 * The catalog's chat model for a computer with `totalMemoryBytes` of RAM: the first one (the catalog lists its
 * preferred model of each tier first) of the largest memory tier the computer reaches. Below the smallest tier,
 * the smallest model, since a slow answer beats none. Null when the catalog offers no chat model.
 */
export function recommendModel(models: ModelEntry[], totalMemoryBytes: number | undefined): ModelEntry | null {
  const catalog = models.filter((model) => model.kind === "chat" && model.ramTierGb !== undefined);
  if (catalog.length === 0) return null;
  // A machine sold as 8 GB reports a little less (the firmware and GPU keep some); round to the nearest GB.
  const memoryGb = totalMemoryBytes === undefined ? 8 : Math.round(totalMemoryBytes / gigabyte);
  const fitting = catalog.filter((model) => (model.ramTierGb ?? 0) <= memoryGb);
  if (fitting.length === 0) return [...catalog].sort((a, b) => a.sizeBytes - b.sizeBytes)[0] ?? null;
  const tier = Math.max(...fitting.map((model) => model.ramTierGb ?? 0));
  return fitting.find((model) => model.ramTierGb === tier) ?? null;
}
