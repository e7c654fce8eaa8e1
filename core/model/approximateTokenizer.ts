import type { Tokenizer } from "./interfaces.ts";

/**
 * Estimates token counts when no model is loaded (the app still assembles prompts for display and benchmarks).
 * Sub-word tokenizers of current models average a little under four characters of English per token; counting
 * words and punctuation separately and rounding up keeps the estimate on the safe (larger) side.
 */
export class ApproximateTokenizer implements Tokenizer {
  async countTokens(text: string): Promise<number> {
    return estimateTokens(text);
  }
}

export function estimateTokens(text: string): number {
  if (!text) return 0;
  const words = text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  let tokens = 0;
  for (const word of words) tokens += Math.max(1, Math.ceil(word.length / 4));
  return tokens;
}
