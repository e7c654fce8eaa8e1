/**
 * The tiny GGUF the suites chat with: the generated random-weight model (test/model/fixtures; built offline from
 * node-llama-cpp's own bundle), or ../shared/models/stories260K when that cannot be built. Null (the suite skips
 * what needs chat, with a message) when neither is available.
 */
import { existsSync } from "node:fs";
import { ensureTinyModel } from "../../model/fixtures/tinyModel.ts";

const sharedStories = new URL("../../../../shared/models/stories260K/stories260K.gguf", import.meta.url);

export function tinyChatModel(): { path: string | null; why: string } {
  try {
    return { path: ensureTinyModel().modelPath, why: "generated tiny model" };
  } catch (error) {
    const stories = sharedStories.pathname;
    if (existsSync(stories)) return { path: stories, why: "../shared/models/stories260K" };
    return { path: null, why: `no tiny GGUF: the generator failed (${String(error)}) and ../shared has none` };
  }
}
