import { useAppState } from "../../store/storeContext.ts";
import { ModelFileImport } from "./ModelFileImport.tsx";
import { ModelRow } from "./ModelRow.tsx";
import { ModelUrlDownload } from "./ModelUrlDownload.tsx";
import { OpenAiEndpointForm } from "./OpenAiEndpointForm.tsx";

/**
 * Where a user gets and chooses models: download one from the catalog (sized by memory, with progress), use a .gguf
 * file already on this computer, or an OpenAI-compatible server; and the optional embedder for recall by meaning.
 */
export function ModelsSection() {
  const models = useAppState((state) => state.models);
  const error = useAppState((state) => state.modelError);
  const chatModels = models.filter((model) => model.kind === "chat");
  const embedders = models.filter((model) => model.kind === "embedding");

  return (
    <section className="settings-section" aria-labelledby="models-title">
      <h2 id="models-title">Models</h2>
      <p className="hint">
        Engram answers with a model that runs on this computer; nothing you write leaves it. Pick one that fits your
        computer&apos;s memory: it is downloaded once.
      </p>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}

      <h3>Chat models</h3>
      {chatModels.length === 0 ? (
        <p className="hint">No models are available in this session.</p>
      ) : (
        <ul className="model-list" aria-label="Chat models">
          {chatModels.map((model) => (
            <ModelRow key={model.id} model={model} />
          ))}
        </ul>
      )}

      <h3>A model file on this computer</h3>
      <ModelFileImport />

      <h3>A model from an address</h3>
      <ModelUrlDownload />

      <h3>An OpenAI-compatible server</h3>
      <OpenAiEndpointForm />

      {embedders.length > 0 ? (
        <>
          <h3>Search by meaning (optional)</h3>
          <p className="hint">
            A small sentence embedder lets Engram recall what you meant, not only the words you used. Switching it
            re-embeds every memory in the background.
          </p>
          <ul className="model-list" aria-label="Embedders">
            {embedders.map((model) => (
              <ModelRow key={model.id} model={model} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
