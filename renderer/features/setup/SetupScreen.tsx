import { useEffect } from "react";
import { formatSize } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";
import { ModelFileImport } from "../settings/ModelFileImport.tsx";
import { ModelRow } from "../settings/ModelRow.tsx";
import { OpenAiEndpointForm } from "../settings/OpenAiEndpointForm.tsx";
import { recommendModel } from "./recommendModel.ts";
import "./setup.css";

/**
 * The first run: three ways to get answers (the recommended model for this computer's memory, a model file already
 * here, or an OpenAI-compatible server), and a way to skip, since memory can be browsed and searched without one.
 */
export function SetupScreen() {
  const models = useAppState((state) => state.models);
  const memory = useAppState((state) => state.stats?.totalMemoryBytes);
  const chatModelId = useAppState((state) => state.chatModelId);
  const endpoint = useAppState((state) => state.settings?.openAiEndpoint);
  const error = useAppState((state) => state.modelError);
  const skipSetup = useAppState((state) => state.skipSetup);
  const go = useAppState((state) => state.go);
  const loadModels = useAppState((state) => state.loadModels);
  const recommended = recommendModel(models, memory);
  const ready = Boolean(chatModelId) || Boolean(endpoint);

  useEffect(() => {
    void loadModels();
  }, [loadModels]);

  return (
    <div className="setup-screen">
      <div className="setup-column">
        <h1>Welcome to Engram</h1>
        <p className="setup-intro">
          Engram remembers what you tell it, on this computer only. To answer, it needs a language model. Choose one
          way; you can change it later in Settings.
        </p>
        {ready ? (
          <div className="setup-ready" role="status">
            <strong>Ready.</strong> A chat model answers now.
            <button type="button" className="button primary" onClick={() => go("chat")}>
              Start chatting
            </button>
          </div>
        ) : null}
        {error ? (
          <p className="error-text" role="alert">
            {error}
          </p>
        ) : null}

        <section className="setup-option" aria-labelledby="setup-recommended">
          <h2 id="setup-recommended">Download the recommended model</h2>
          {recommended ? (
            <>
              <p className="hint">
                {memory ? `This computer has ${formatSize(memory)} of memory. ` : ""}
                {recommended.name} fits it: a {formatSize(recommended.sizeBytes)} download, once.
              </p>
              <ul className="model-list">
                <ModelRow model={recommended} />
              </ul>
            </>
          ) : (
            <p className="hint">No downloadable models are offered in this session.</p>
          )}
        </section>

        <section className="setup-option" aria-labelledby="setup-file">
          <h2 id="setup-file">Use a model file you already have</h2>
          <ModelFileImport />
        </section>

        <section className="setup-option" aria-labelledby="setup-server">
          <h2 id="setup-server">Use an OpenAI-compatible server</h2>
          <p className="hint">Ollama, llama-server or LM Studio on this computer or your network.</p>
          <OpenAiEndpointForm />
        </section>

        <p className="setup-skip">
          <button type="button" className="button subtle" onClick={skipSetup}>
            Not now: look around first
          </button>
          <span className="hint">Chat, memory and search work without a model; replies wait until you add one.</span>
        </p>
      </div>
    </div>
  );
}
