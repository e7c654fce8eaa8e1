import type { SliceCreator } from "../../store/appState.ts";

export interface SetupSlice {
  /** The user chose to look around without a model first; the setup is not offered again in this tab. */
  setupSkipped: boolean;
  /**
   * Opens the first-run setup when this is a fresh start: no chat model, none installed, no server configured and
   * nothing remembered yet. Called once the first models, settings and conversations have arrived.
   */
  offerSetupIfFirstRun(): void;
  skipSetup(): void;
}

const skippedKey = "engram.setupSkipped";

/** Session storage, when the page may use it (tests in Node have none). */
const session = (): Storage | null => (typeof sessionStorage === "undefined" ? null : sessionStorage);

export const createSetupSlice = (): SliceCreator<SetupSlice> => (set, get) => ({
  setupSkipped: session()?.getItem(skippedKey) === "1",

  offerSetupIfFirstRun() {
    const { setupSkipped, chatModelId, models, settings, conversations, screen } = get();
    const fresh =
      chatModelId === null &&
      !models.some((model) => model.kind === "chat" && model.installed) &&
      !settings?.openAiEndpoint &&
      conversations.length === 0;
    if (fresh && !setupSkipped && screen === "chat") set({ screen: "setup" });
  },

  skipSetup() {
    session()?.setItem(skippedKey, "1");
    set({ setupSkipped: true, screen: "chat" });
  },
});
