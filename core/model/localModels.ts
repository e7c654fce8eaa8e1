import type { HostSpawner } from "./hostSpawner.ts";
import { LocalModelService } from "./localModelService.ts";
import type { ModelServiceFactory } from "./modelService.ts";

export interface LocalModelsOptions {
  /** A .gguf file to import and make the chat model (`--model FILE.gguf`). */
  modelFile?: string;
  /** How to start the model host: fork in headless mode (default), utilityProcess in Electron. */
  spawner?: HostSpawner;
}

/**
 * The model runtime the app runs with: node-llama-cpp in its host process, downloads and imports under
 * `<dataDir>/models`. With a model file, that file is imported (its header checked, so a bad file stops start-up
 * with a clear error) and chosen as the chat model before the engine applies its settings, which loads it.
 */
export function localModels(options: LocalModelsOptions = {}): ModelServiceFactory {
  return async ({ dataDir, events, saveModelChoice, embedderChanged }) => {
    const service = await LocalModelService.create({
      dataDir,
      events,
      ...(options.spawner ? { spawner: options.spawner } : {}),
      onModelChosen: (choice) => saveModelChoice(choice),
      ...(embedderChanged ? { onEmbedderChanged: embedderChanged } : {}),
    });
    if (options.modelFile) {
      try {
        const entry = await service.handlers["models.import"]({ path: options.modelFile });
        await saveModelChoice({ chatModelId: entry.id });
      } catch (error) {
        await service.dispose();
        throw error;
      }
    }
    return service;
  };
}
