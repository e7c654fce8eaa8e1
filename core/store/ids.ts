import { randomBytes } from "node:crypto";

/**
 * A new id: a short kind prefix (so a stray id in a log says what it names), the creation time in base 36 (so ids
 * sort by age), and 64 random bits.
 */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(8).toString("hex")}`;
}
