import { open } from "node:fs/promises";
import { readGgufFileInfo, type GgufFileInfo } from "node-llama-cpp";
import { EngramError } from "../errors.ts";

/**
 * Validates a local file as a GGUF model: the 4-byte magic "GGUF" first (cheap, and a clear message for the common
 * mistake of picking some other file), then node-llama-cpp's full header parse. Never loads weights.
 */
export async function readGgufHeader(path: string): Promise<GgufFileInfo> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EngramError(code === "ENOENT" ? "not_found" : "bad_input", `Cannot open ${path}: ${code ?? error}`);
  }
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    if (bytesRead < 4 || magic.toString("latin1") !== "GGUF") {
      throw new EngramError("bad_input", `${path} is not a GGUF model file (it does not start with "GGUF").`);
    }
  } finally {
    await handle.close();
  }
  try {
    return await readGgufFileInfo(path, { sourceType: "filesystem", logWarnings: false, readTensorInfo: true });
  } catch (error) {
    throw new EngramError(
      "bad_input",
      `${path} has a damaged GGUF header: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
