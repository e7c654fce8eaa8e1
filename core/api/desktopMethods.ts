import { z } from "zod";
import { ModelEntry } from "./entities.ts";

/**
 * Methods only the desktop app can serve, because they open a native window of the operating system. Electron main
 * answers them itself (then calls the engine through the same contract); the engine, and so headless mode, refuses
 * them with bad_input. The page never sees or chooses a file path.
 */
export const desktopMethods = {
  /** Opens the system's file dialog for a .gguf and imports it as models.import does; null when the user cancelled. */
  "app.chooseModelFile": { input: z.object({}), output: z.object({ model: ModelEntry.nullable() }) },
} as const;
