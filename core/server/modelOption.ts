import { access, constants } from "node:fs/promises";
import { BadInputError } from "../errors.ts";
import type { ModelService } from "../model/modelService.ts";

/**
 * The seam between `--model FILE.gguf` and the model runtime. Returns the model service the engine should use, or
 * undefined when there is none yet; the engine then answers chat with a clear no_model error and everything else
 * works. The model runtime (core/model) plugs in here; this module only checks the file.
 */
export async function openModelService(modelFile: string | undefined): Promise<ModelService | undefined> {
  if (modelFile === undefined) return undefined;
  try {
    await access(modelFile, constants.R_OK);
  } catch (error) {
    throw new BadInputError(`Cannot read the model file ${modelFile}: ${(error as Error).message}`);
  }
  process.stderr.write(`Engram: the model runtime is not available in this build; ${modelFile} is not loaded.\n`);
  return undefined;
}
