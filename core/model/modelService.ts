import type { Settings, SettingsUpdate } from "../api/index.ts";
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
  /**
   * Called once at start and before every settings change is saved (model choice, threads, context size, offline).
   * At start a model that fails to load is only reported (the app opens without it); with `refuseFailure` the
   * failure is thrown instead, after the models that were in use are back in place, so the change can be refused.
   */
  applySettings(settings: Settings, options?: { refuseFailure?: boolean }): Promise<void>;
  dispose(): Promise<void>;
}

/** A model picked in models.use: a local chat model also turns the OpenAI-compatible endpoint off. */
export type ModelChoice = Pick<SettingsUpdate, "chatModelId" | "embedderId" | "openAiEndpoint">;

/** What a model service needs from the engine that is about to own it. */
export interface ModelServiceContext {
  dataDir: string;
  events: EventBus;
  /**
   * Saves the user's model choice in the settings; once the engine is open the change is applied first (through
   * applySettings with refuseFailure) and refused when the model does not load.
   */
  saveModelChoice(choice: ModelChoice): Promise<void>;
  /** Called after the embedder was loaded, switched or unloaded, so the engine re-embeds memories in the background. */
  embedderChanged?(): void;
}

/** Builds the model service on the engine's event bus (`EngineOptions.models` takes one). */
export type ModelServiceFactory = (context: ModelServiceContext) => Promise<ModelService>;
