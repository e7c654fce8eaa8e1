import { realpath, stat } from "node:fs/promises";
import { extname, isAbsolute } from "node:path";
import { BadInputError, NotFoundError } from "../errors.ts";
import type { ImportSource } from "./importedConversation.ts";
import { sourceFileExtensions, sourceNames } from "./importSources.ts";

/**
 * Checks a path the UI asked to import before the app opens it: absolute, an existing regular file (after following
 * links), named like the source's files. The renderer is not trusted, so a path import can only read files of the
 * kinds imports are made from, never a key file or a device. Returns the resolved path and its size.
 */
export async function checkImportFile(path: string, source: ImportSource): Promise<{ path: string; size: number }> {
  if (!isAbsolute(path)) throw new BadInputError(`The file to import must be given by its full path, not "${path}".`);
  let resolved: string;
  try {
    resolved = await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new NotFoundError("File", path);
    throw error;
  }
  const info = await stat(resolved);
  if (!info.isFile()) throw new BadInputError(`${path} is not a file.`);
  const allowed = sourceFileExtensions[source];
  if (!allowed.includes(extname(resolved).toLowerCase())) {
    throw new BadInputError(`A ${sourceNames[source]} is a ${allowed.join(" or ")} file; ${path} is not.`);
  }
  return { path: resolved, size: info.size };
}
