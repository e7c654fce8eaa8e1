import type { Settings } from "../api/index.ts";
import type { EventBus } from "../eventBus.ts";
import type { GenerationScheduler } from "./generationScheduler.ts";
import { readGgufHeader } from "./ggufFile.ts";
import { HostedChatModel } from "./hostedChatModel.ts";
import { HostedEmbedder } from "./hostedEmbedder.ts";
import type { ChatModel, Embedder } from "./interfaces.ts";
import { checkContextSize } from "./modelFit.ts";
import type { ModelHostClient } from "./modelHostClient.ts";
import type { InstalledModel, ModelManifest } from "./modelManifest.ts";
import { OpenAiChatModel } from "./openAiChatModel.ts";

export interface ActiveModelsOptions {
  client: ModelHostClient;
  scheduler: GenerationScheduler;
  manifest: ModelManifest;
  events: EventBus;
  /** Used by the OpenAI-compatible backend; injected in tests. */
  fetch?: typeof fetch;
  /** Called after the embedder was loaded, switched or unloaded (the engine then re-embeds in the background). */
  onEmbedderChanged?: () => void;
}

/** What a loaded chat model was loaded with: the same key again needs no reload. */
interface ChatLoadKey {
  modelId: string;
  contextSize: number | undefined;
  threads: number | undefined;
}

/** The settings that decide the chat model, as one comparable value. */
function chatRequestOf(settings: Settings): string {
  const { openAiEndpoint, offline, chatModelId, contextSize, threads } = settings;
  return JSON.stringify({ openAiEndpoint, offline, chatModelId, contextSize, threads });
}

interface ChatState {
  model: ChatModel | null;
  key: ChatLoadKey | undefined;
}

/**
 * The chat model and the embedder in use, brought in line with the settings one change at a time. A change that
 * fails can be refused: the models that were in use before it are put back (reloaded when the failed load had
 * already replaced them in the host), so a bad context size or a damaged model file never leaves the user with none.
 */
export class ActiveModels {
  readonly #options: ActiveModelsOptions;
  #chat: ChatState = { model: null, key: undefined };
  #embedder: Embedder | null = null;
  /** What the last applied settings asked for, to tell which part a change touches. */
  #chatRequest: string | undefined;
  #embedderRequest: string | null | undefined;
  #changing: Promise<unknown> = Promise.resolve();

  constructor(options: ActiveModelsOptions) {
    this.#options = options;
  }

  get chatModel(): ChatModel | null {
    return this.#chat.model;
  }

  get embedder(): Embedder | null {
    return this.#embedder;
  }

  isActive(id: string): boolean {
    return this.#chat.model?.id === id || this.#embedder?.id === id;
  }

  /**
   * Loads what the settings name. With `refuseFailure` a failure the change caused is thrown after the previous
   * models are back; a model the change did not touch is only reported if it fails again (a file damaged since the
   * app opened must not block every other setting), as is any failure without `refuseFailure` (the app opening).
   * `refuseUnchanged` refuses those too (models.use naming the model again is a retry that must say how it failed).
   */
  apply(settings: Settings, options: { refuseFailure?: boolean; refuseUnchanged?: boolean } = {}): Promise<void> {
    return this.#exclusive(async () => {
      const chatRequest = chatRequestOf(settings);
      const embedderRequest = settings.embedderId ?? null;
      const refuseChat =
        options.refuseFailure === true && (options.refuseUnchanged === true || chatRequest !== this.#chatRequest);
      const refuseEmbedder =
        options.refuseFailure === true &&
        (options.refuseUnchanged === true || embedderRequest !== this.#embedderRequest);
      const previousChat = this.#chat;
      const previousEmbedder = this.#embedder;
      try {
        await this.#applyChat(settings);
      } catch (error) {
        if (!refuseChat) this.#reportLoadFailure(error);
        else {
          await this.#restoreChat(previousChat);
          throw error;
        }
      }
      try {
        await this.#applyEmbedder(settings.embedderId);
      } catch (error) {
        if (!refuseEmbedder) this.#reportLoadFailure(error);
        else {
          // The change is refused whole: the chat model it switched goes back too.
          await this.#restoreEmbedder(previousEmbedder);
          await this.#restoreChat(previousChat);
          throw error;
        }
      }
      this.#chatRequest = chatRequest;
      this.#embedderRequest = embedderRequest;
    });
  }

  /** Unloads the model with this id if it is in use (it is being deleted). */
  unloadIfActive(id: string): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#chat.model?.id === id) await this.#unloadChat();
      if (this.#embedder?.id === id) await this.#applyEmbedder(undefined);
    });
  }

  /** Runs model changes one at a time, so two calls sent together never load over each other. */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#changing.then(task);
    this.#changing = run.catch(() => undefined); // the next change runs whether or not this one failed
    return run;
  }

  async #applyChat(settings: Settings): Promise<void> {
    if (settings.openAiEndpoint) {
      await this.#unloadChat();
      this.#chat = {
        model: new OpenAiChatModel({
          ...settings.openAiEndpoint,
          fetch: this.#options.fetch,
          offline: settings.offline,
          scheduler: this.#options.scheduler,
        }),
        key: undefined,
      };
      return;
    }
    if (this.#chat.model instanceof OpenAiChatModel) this.#chat = { model: null, key: undefined };
    const installed = settings.chatModelId ? this.#options.manifest.get(settings.chatModelId) : undefined;
    if (!installed || installed.kind !== "chat") return this.#unloadChat();
    checkContextSize(settings.contextSize); // refused before the model in use is unloaded
    await this.#loadChat(installed, {
      modelId: installed.id,
      contextSize: settings.contextSize,
      threads: settings.threads,
    });
  }

  async #loadChat(installed: InstalledModel, key: ChatLoadKey): Promise<void> {
    if (this.#chat.model && JSON.stringify(this.#chat.key) === JSON.stringify(key)) return;
    // A file damaged or removed since it was installed is refused here, before the model in use is unloaded.
    await readGgufHeader(installed.path);
    this.#chat = { model: null, key: undefined };
    const info = await this.#options.client.loadModel(installed.id, {
      modelPath: installed.path,
      gpu: true,
      ...(key.contextSize !== undefined ? { contextSize: key.contextSize } : {}),
      ...(key.threads !== undefined ? { threads: key.threads } : {}),
    });
    this.#chat = {
      model: new HostedChatModel({
        id: installed.id,
        contextSize: info.contextSize,
        client: this.#options.client,
        scheduler: this.#options.scheduler,
      }),
      key,
    };
  }

  async #unloadChat(): Promise<void> {
    if (this.#chat.model instanceof HostedChatModel) await this.#options.client.unloadModel();
    this.#chat = { model: null, key: undefined };
  }

  async #restoreChat(previous: ChatState): Promise<void> {
    if (this.#chat.model === previous.model) return;
    const installed = previous.key && this.#options.manifest.get(previous.key.modelId);
    if (!(previous.model instanceof HostedChatModel) || !previous.key || !installed) {
      // Nothing was loaded in the host for it (an endpoint, or no model): it can simply be put back.
      this.#chat = previous;
      return;
    }
    try {
      await this.#loadChat(installed, previous.key);
    } catch (error) {
      this.#reportLoadFailure(error);
    }
  }

  async #applyEmbedder(embedderId: string | undefined): Promise<void> {
    const installed = embedderId ? this.#options.manifest.get(embedderId) : undefined;
    if (this.#embedder?.id === installed?.id) return;
    if (!installed || installed.kind !== "embedding") {
      if (this.#embedder) await this.#options.client.call({ type: "unloadEmbedder" });
      this.#embedder = null;
      this.#options.onEmbedderChanged?.();
      return;
    }
    this.#embedder = null;
    try {
      const info = (await this.#options.client.call({
        type: "loadEmbedder",
        options: { directory: installed.path, embedderId: installed.id },
      })) as { dimensions: number };
      this.#embedder = new HostedEmbedder({
        id: installed.id,
        dimensions: info.dimensions,
        client: this.#options.client,
      });
    } finally {
      this.#options.onEmbedderChanged?.();
    }
  }

  async #restoreEmbedder(previous: Embedder | null): Promise<void> {
    if (this.#embedder === previous) return;
    try {
      await this.#applyEmbedder(previous?.id);
    } catch (error) {
      this.#reportLoadFailure(error);
    }
  }

  #reportLoadFailure(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#options.events.emit("models.status", { state: "none", modelId: null, message });
  }
}
