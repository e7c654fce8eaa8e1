/**
 * Results of the reliability suites, for the summary `npm run test:reliability` prints: each suite appends one JSON
 * line per result to the file named by ENGRAM_RELIABILITY_REPORT (absent: nothing is written, the suite still asserts).
 */
import { appendFileSync } from "node:fs";

export interface SuiteResult {
  suite: string;
  [field: string]: unknown;
}

export function recordResult(result: SuiteResult): void {
  const file = process.env.ENGRAM_RELIABILITY_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
}
