import { EngramError } from "../errors.ts";

/**
 * A file that cannot be used as a model. One message for every reason (missing, a folder, a device, not readable,
 * not a GGUF, damaged or cut short): different messages would let a caller probe the file system. The reason is
 * kept as the cause, for a log, never for the caller.
 */
export class UnusableModelFileError extends EngramError {
  constructor(path: string, cause?: unknown) {
    super(
      "bad_input",
      `${path} cannot be used as a model: pick a complete GGUF model file (a .gguf file that is not damaged or cut short).`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "UnusableModelFileError";
  }
}
