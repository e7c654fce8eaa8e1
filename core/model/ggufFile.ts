import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { readGgufFileInfo, type GgufFileInfo } from "node-llama-cpp";
import { UnusableModelFileError } from "./unusableModelFileError.ts";
import { checkGgufStructure } from "./ggufStructure.ts";

/** The refusal for a file that cannot be used as a model (see UnusableModelFileError). */
export function unusableModelFile(path: string, cause?: unknown): UnusableModelFileError {
  return new UnusableModelFileError(path, cause);
}

/**
 * Validates a local file as a GGUF model and reads its header. Only a regular file is taken (opened without blocking,
 * so a FIFO named .gguf cannot hang the call); its header's structure is checked first in bounded time and memory
 * (ggufStructure.ts), and only then parsed by node-llama-cpp, which trusts the counts it reads. Never loads weights.
 */
export async function readGgufHeader(path: string): Promise<GgufFileInfo> {
  return (await readGgufModelFile(path)).info;
}

/** readGgufHeader, with the file's size as it was checked. */
export async function readGgufModelFile(path: string): Promise<{ info: GgufFileInfo; sizeBytes: number }> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK does not exist on Windows, where opening a named pipe this way does not block anyway.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw unusableModelFile(path, error);
  }
  let sizeBytes: number;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw unusableModelFile(path);
    sizeBytes = stats.size;
    await checkGgufStructure(handle, sizeBytes);
  } catch (error) {
    throw error instanceof UnusableModelFileError ? error : unusableModelFile(path, error);
  } finally {
    await handle.close();
  }
  try {
    const info = await readGgufFileInfo(path, { sourceType: "filesystem", logWarnings: false, readTensorInfo: true });
    return { info, sizeBytes };
  } catch (error) {
    throw unusableModelFile(path, error);
  }
}
