import { z } from "zod";
import {
  isMethodName,
  methods,
  type ApiError,
  type MethodName,
  type MethodOutput,
  type ParsedInput,
} from "./api/index.ts";
import { EngramError, toApiError } from "./errors.ts";

/** One implementation per contract method. Inputs arrive already parsed by the method's schema. */
export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> };

export type CallResult = { ok: true; data: unknown } | { ok: false; error: ApiError };

/** Turns a zod failure into one readable sentence naming the offending fields. */
export function describeSchemaError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/**
 * The single entry every transport (IPC, HTTP, tests) goes through: checks the method exists, parses the raw input
 * with the contract's schema, runs the handler and maps any failure to `{ code, message }`. Bad input changes nothing
 * because the handler never sees it.
 */
export async function dispatch(handlers: Handlers, method: string, rawInput: unknown): Promise<CallResult> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: "unknown_method", message: `There is no method ${JSON.stringify(method)}.` } };
  }
  const parsed = methods[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: "bad_input", message: `${method}: ${describeSchemaError(parsed.error)}` } };
  }
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    return { ok: true, data: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}

/** Like dispatch, for in-process callers (tests, benchmarks, CLI) who want the typed value or a thrown EngramError. */
export async function call<M extends MethodName>(
  handlers: Handlers,
  method: M,
  input: z.input<(typeof methods)[M]["input"]>,
): Promise<MethodOutput<M>> {
  const result = await dispatch(handlers, method, input);
  if (!result.ok) throw new EngramError(result.error.code, result.error.message);
  return result.data as MethodOutput<M>;
}
