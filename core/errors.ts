import type { ApiError, ErrorCode } from "./api/index.ts";

/** A failure core knows how to describe: its code crosses the boundary, its message is shown to the user. */
export class EngramError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EngramError";
    this.code = code;
  }
}

export class NotFoundError extends EngramError {
  constructor(what: string, id: string) {
    super("not_found", `${what} ${JSON.stringify(id)} does not exist.`);
    this.name = "NotFoundError";
  }
}

export class BadInputError extends EngramError {
  constructor(message: string) {
    super("bad_input", message);
    this.name = "BadInputError";
  }
}

export class NoModelError extends EngramError {
  constructor(message = "No chat model is loaded. Download one or pick a local .gguf file in Settings → Models.") {
    super("no_model", message);
    this.name = "NoModelError";
  }
}

export class CancelledError extends EngramError {
  constructor(message = "Cancelled.") {
    super("cancelled", message);
    this.name = "CancelledError";
  }
}

export class DisposedError extends EngramError {
  constructor(what: string) {
    super("internal", `${what} was already disposed.`);
    this.name = "DisposedError";
  }
}

/**
 * Maps any thrown value to the `{ code, message }` a boundary sends. Unknown faults keep their message (so a user can
 * report it) but get the code `internal`.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof EngramError) return { code: error.code, message: error.message };
  const storage = storageFailure(error);
  if (storage) return { code: storage.code, message: storage.message };
  if (error instanceof Error && error.name === "AbortError") return { code: "cancelled", message: "Cancelled." };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "internal", message: message || "Unexpected failure." };
}

/**
 * Recognises the two ways a disk refuses writes, whoever reported them (Node's fs with an errno code, or LanceDB's
 * native writer with the OS message in its text), and says what the user can do. Anything else is not a storage
 * failure of this kind and is left as it is.
 */
export function storageFailure(error: unknown): EngramError | null {
  if (error instanceof EngramError) return null;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (
    code === "ENOSPC" ||
    code === "EDQUOT" ||
    /No space left on device|os error 28\b|Disk quota exceeded/i.test(text)
  ) {
    return new EngramError(
      "insufficient_disk",
      "The disk holding Engram's data folder is full: this was not saved, and nothing more can be until some space is freed. What was saved before is safe.",
      { cause: error },
    );
  }
  if (code === "EROFS" || /Read-only file system|os error 30\b/i.test(text)) {
    return new EngramError(
      "storage_unavailable",
      "Engram's data folder is on a read-only disk: this was not saved, and nothing new can be until the disk is writable again. What was saved before is safe.",
      { cause: error },
    );
  }
  return null;
}
