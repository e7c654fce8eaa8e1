/** Small helpers shared by the benchmarks: percentiles, tables, arguments. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: [string, string | number][]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(title);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

/** Reads `--name value` and `--flag` arguments. */
export function parseArguments(argv: string[]): Map<string, string | true> {
  const parsed = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      parsed.set(arg.slice(2), next);
      i += 1;
    } else {
      parsed.set(arg.slice(2), true);
    }
  }
  return parsed;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
