/**
 * How worth remembering a turn looks when it is said, from 0 to 1, without a model: statements about the speaker,
 * names, numbers and dates score higher; greetings, fillers and bare questions lower. Salience only nudges recall
 * and decides what forgetting archives first; it never hides a memory.
 */
export function estimateSalience(text: string): number {
  const words = text.match(/[\p{L}\p{N}']+/gu) ?? [];
  if (words.length === 0) return 0;
  let score = 0.3;
  // Longer turns carry more content, with diminishing returns.
  score += Math.min(0.2, words.length / 100);
  if (/\b(I|I'm|I've|my|me|we|our)\b/i.test(text)) score += 0.15;
  if (/\b(remember|important|always|never|favou?rite|allergic|birthday|name is|live in|work (at|as))\b/i.test(text)) {
    score += 0.2;
  }
  if (/\d/.test(text)) score += 0.05;
  // Capitalised words not at a sentence start: likely names of people, places, things.
  if (/[^.!?]\s+\p{Lu}\p{Ll}+/u.test(text)) score += 0.05;
  if (words.length <= 3 && /^(hi|hello|hey|thanks|thank you|ok|okay|bye|yes|no|sure|cool|great)\b/i.test(text)) {
    score -= 0.25;
  }
  if (text.trim().endsWith("?") && words.length < 12) score -= 0.05;
  return Math.max(0, Math.min(1, score));
}
