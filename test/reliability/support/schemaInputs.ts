/**
 * Inputs for every contract method, derived from its zod schema (through zod's JSON Schema), so a method added later
 * is fuzzed without touching the suite. Three kinds:
 * - near-valid inputs with one hostile value somewhere (or hostile as a whole): the schema must refuse them;
 * - valid inputs whose every id names nothing: the method must answer cleanly and change nothing;
 * - valid inputs whose strings are hostile (NUL, lone surrogates, query syntax): read methods must answer cleanly.
 * Values are trees of plain JSON plus `RawJson` leaves, for what JSON.stringify cannot write (1e999, deep nesting).
 */
import fc from "fast-check";
import { z } from "zod";

/** A piece of JSON text inserted as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  pattern?: string;
}

/** The JSON Schema of a method's input, as a client would read it. */
export function inputSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** Writes a value tree as JSON text, RawJson leaves included verbatim. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value).map(
      (key) => `${JSON.stringify(key)}:${toJsonText((value as Record<string, unknown>)[key])}`,
    );
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Property names that hold ids of stored things. */
export const isIdKey = (key: string): boolean => /(^id$|Id$|^ids$|Ids$)/.test(key);

/** An id no stored thing has. */
export const unknownId = fc
  .string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 8, maxLength: 24 })
  .map((hex) => `nothing_${hex}`);

const dateTime = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((ms) => new Date(ms).toISOString());

/** Values that conform to `schema` (approximately: patterns are sampled, not proven). */
export function validValue(schema: JsonSchema, key = "", strings = plainString): fc.Arbitrary<unknown> {
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => validValue(choice, key, strings)));
  if ("const" in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const properties = schema.properties ?? {};
      const shape = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [name, validValue(property, name, strings)]),
      );
      return fc.record(shape, { requiredKeys: schema.required ?? [] });
    }
    case "array":
      return fc.array(validValue(schema.items ?? {}, key, strings), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case "string": {
      if (schema.format === "date-time") return dateTime;
      if (schema.format === "uri") return fc.constant("http://127.0.0.1:9/nothing.gguf");
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      if (isIdKey(key)) return unknownId;
      const min = schema.minLength ?? 0;
      return strings(min, Math.max(min, Math.min(schema.maxLength ?? 40, 40)));
    }
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 1000, 2 ** 31 - 1) });
    case "number":
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

type StringMaker = (min: number, max: number) => fc.Arbitrary<string>;

const plainString: StringMaker = (min, max) =>
  fc.string({ minLength: Math.max(1, min), maxLength: max }).filter((text) => text.trim().length >= Math.max(1, min));

/** Strings that are valid text but hostile to whatever reads them: a full-text parser, SQL, a terminal, UTF-8. */
export const hostileText: StringMaker = (min, max) =>
  fc
    .oneof(
      fc.constantFrom(
        "a\u0000b",
        "\u0000",
        "lone \ud800 surrogate",
        "\udfff\ud800",
        "' OR 1=1 --",
        '") OR ("1"="1',
        "kettle AND (attic OR",
        'title:"unclosed',
        "*",
        "?~^+-:!{}[]",
        "\\",
        "\u202e\u200b\ufeff",
        "%s%n%x",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "\r\n\r\nHTTP/1.1 200 OK",
      ),
      fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
    )
    .map((text) => (text.length >= min ? text : text.padEnd(min, "x")).slice(0, Math.max(max, min, 1)));

/** A value no schema of ours accepts where something else is expected, or that strains the parser. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, [], {}, "", [null], { "": null }, "true", "0"),
  fc.constantFrom(-1, -1e308, 1e308, Number.MAX_SAFE_INTEGER + 2, -(2 ** 63), 2 ** 64, 1e-300),
  fc.constantFrom(new RawJson("1e999"), new RawJson("-1e999"), new RawJson("123456789012345678901234567890")),
  fc.constant(null).map(() => "x".repeat(1_000_000)),
  fc.constant(null).map(() => new RawJson(`${"[".repeat(20_000)}${"]".repeat(20_000)}`)),
  fc.constant(null).map(() => new RawJson(`${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`)),
  fc.constantFrom(
    JSON.parse('{"__proto__":{"polluted":true}}'),
    JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
    JSON.parse('{"__proto__":null,"toString":1,"hasOwnProperty":"x","valueOf":{}}'),
  ),
  hostileText(0, 20),
  fc.array(fc.constantFrom(null, "x", 1, {}), { minLength: 1, maxLength: 5 }),
);

/** Replaces one value somewhere in `value` (or `value` itself) by a hostile one; adds hostile keys to objects. */
export function withHostileValue(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(base, hostileValue, fc.nat(), fc.boolean()).map(([value, hostile, choice, addKey]) => {
    const paths = pathsOf(value);
    const path = paths[choice % paths.length] ?? [];
    const replaced = replaceAt(value, path, hostile);
    if (addKey && replaced !== null && typeof replaced === "object" && !Array.isArray(replaced)) {
      return { ...(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"name":"x"}}') as object), ...replaced };
    }
    return replaced;
  });
}

/** Whether every required property of an object schema is an id, a flag or a choice (no free text to store). */
export function takesOnlyIds(schema: JsonSchema): boolean {
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return choices.some(takesOnlyIds);
  if (schema.type !== "object") return false;
  const required = schema.required ?? [];
  if (!required.some(isIdKey)) return false;
  return required.every((name) => {
    const property = schema.properties?.[name] ?? {};
    return isIdKey(name) || property.type === "boolean" || property.enum !== undefined || property.type === "integer";
  });
}

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const found: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => found.push(...pathsOf(item, [...prefix, index])));
  else if (value !== null && typeof value === "object" && !(value instanceof RawJson)) {
    for (const key of Object.keys(value))
      found.push(...pathsOf((value as Record<string, unknown>)[key], [...prefix, key]));
  }
  return found;
}

function replaceAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value))
    return value.map((item, index) => (index === head ? replaceAt(item, rest, replacement) : item));
  const copy = { ...(value as Record<string, unknown>) };
  copy[head as string] = replaceAt(copy[head as string], rest, replacement);
  return copy;
}
