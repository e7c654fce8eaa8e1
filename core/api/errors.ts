import { z } from "zod";

/**
 * Stable error codes every boundary (IPC, HTTP, CLI) reports. Outside tools match on these, so a code is never
 * renamed; add new ones instead.
 */
export const errorCodes = [
  "bad_input",
  "unknown_method",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "no_model",
  "model_crashed",
  "model_load_failed",
  "insufficient_memory",
  "insufficient_disk",
  "checksum_mismatch",
  "download_failed",
  "cancelled",
  "busy",
  "internal",
  /** The data folder cannot be written (a read-only disk): reads still work. */
  "storage_unavailable",
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** What crosses a boundary when a call fails. */
export const ApiError = z.object({ code: ErrorCode, message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

/** The envelope of every reply over HTTP (and of IPC replies, so the renderer client handles both the same way). */
export const replyEnvelope = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion("ok", [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: ApiError }),
  ]);
