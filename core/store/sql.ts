/**
 * The one place a value from outside becomes part of a LanceDB filter. Values are always rendered as literals
 * (strings quoted with quotes doubled, numbers checked finite), column names are checked against a plain-identifier
 * pattern, so a search string or id from the UI can never change the shape of a query.
 */

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type SqlValue = string | number | boolean;

/** Quotes a column name; throws on anything but a plain identifier. */
export function column(name: string): string {
  if (!identifier.test(name)) throw new Error(`Not a column name: ${JSON.stringify(name)}`);
  // Backticks keep mixed-case names (conversationId) from being folded to lower case.
  return `\`${name}\``;
}

/** Renders a value as an SQL literal. */
export function literal(value: SqlValue): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
    return String(value);
  }
  // Strings: single quotes doubled; NUL has no place in a filter and is dropped.
  return `'${value.replaceAll("\u0000", "").replaceAll("'", "''")}'`;
}

export const eq = (name: string, value: SqlValue): string => `${column(name)} = ${literal(value)}`;
export const lt = (name: string, value: number): string => `${column(name)} < ${literal(value)}`;
export const gte = (name: string, value: number): string => `${column(name)} >= ${literal(value)}`;

/** `name IN (...)`; an empty list matches nothing. */
export function isIn(name: string, values: readonly SqlValue[]): string {
  if (values.length === 0) return "false";
  return `${column(name)} IN (${values.map(literal).join(", ")})`;
}

/** Joins conditions with AND, skipping empty ones; no condition at all matches everything. */
export function and(...conditions: (string | undefined | false)[]): string {
  const kept = conditions.filter((condition): condition is string => Boolean(condition));
  if (kept.length === 0) return "true";
  return kept.map((condition) => `(${condition})`).join(" AND ");
}

/** Joins conditions with OR, skipping empty ones; no condition at all matches nothing. */
export function or(...conditions: (string | undefined | false)[]): string {
  const kept = conditions.filter((condition): condition is string => Boolean(condition));
  if (kept.length === 0) return "false";
  return kept.map((condition) => `(${condition})`).join(" OR ");
}
