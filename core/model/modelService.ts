import type { Settings } from "../api/index.ts";
import type { Handlers } from "../boundary.ts";
import type { EventBus } from "../eventBus.ts";
import type { ModelProvider } from "./interfaces.ts";

export type ModelMethodName =
  "models.list" | "models.download" | "models.cancel" | "models.delete" | "models.use" | "models.import";

/**
 * The model runtime as the engine sees it: the current chat model and embedder, plus the handlers of the models.*
 * methods. Whoever starts the app (headless CLI, Electron main, a test) builds one and hands it to the engine.
 */
export interface ModelService extends ModelProvider {
  readonly handlers: Pick<Handlers, ModelMethodName>;
  /** Called once at start and after every settings change (model choice, threads, context size, offline). */
  applySettings(settings: Settings): Promise<void>;
  dispose(): Promise<void>;
}

/** What a model service needs from the engine that is about to own it. */
export interface ModelServiceContext {
  dataDir: string;
  events: EventBus;
  /** Persists the user's model choice in the settings (the engine then applies them). */
  saveModelChoice(choice: Pick<Settings, "chatModelId" | "embedderId">): Promise<void>;
  /** Called after the embedder was loaded, switched or unloaded, so the engine re-embeds memories in the background. */
  embedderChanged?(): void;
}

/** Builds the model service on the engine's event bus (`EngineOptions.models` takes one). */
export type ModelServiceFactory = (context: ModelServiceContext) => Promise<ModelService>;
