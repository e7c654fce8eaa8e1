import { useEffect, useRef, useState, type FormEvent } from "react";
import { useAppState } from "../store/storeContext.ts";
import { ModelRow } from "./ModelRow.tsx";

/**
 * Where a user gets a chat model: download one from the catalog (sized by memory), or use a .gguf file already on
 * this computer. Opened from the sidebar, the "no model" banner and a failed reply. A modal <dialog>, so focus stays
 * inside and Escape closes it.
 */
export function ModelPanel() {
  const open = useAppState((state) => state.modelPanelOpen);
  const close = useAppState((state) => state.closeModelPanel);
  const models = useAppState((state) => state.models);
  const error = useAppState((state) => state.modelError);
  const importing = useAppState((state) => state.modelBusy === "import");
  const anyBusy = useAppState((state) => state.modelBusy !== null);
  const chooseModelFile = useAppState((state) => state.chooseModelFile);
  const [path, setPath] = useState("");
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() && (await chooseModelFile(path.trim()))) setPath("");
  };

  const chatModels = models.filter((model) => model.kind === "chat");
  const embedders = models.filter((model) => model.kind === "embedding");

  return (
    <dialog ref={dialog} className="model-panel" aria-labelledby="model-panel-title" onClose={close}>
      <header className="model-panel-header">
        <h2 id="model-panel-title">Models</h2>
        <button type="button" className="button subtle" onClick={close}>
          Close
        </button>
      </header>
      <p className="model-panel-intro">
        Engram answers with a model that runs on this computer; nothing you write leaves it. Pick one that fits your
        computer&apos;s memory: it is downloaded once.
      </p>
      {error ? (
        <p className="model-panel-error" role="alert">
          {error}
        </p>
      ) : null}

      <h3>Chat models</h3>
      {chatModels.length === 0 ? (
        <p className="model-panel-empty">No models are available in this session.</p>
      ) : (
        <ul className="model-list">
          {chatModels.map((model) => (
            <ModelRow key={model.id} model={model} />
          ))}
        </ul>
      )}

      <h3>A model file on this computer</h3>
      <form className="model-file" onSubmit={(event) => void submit(event)}>
        <input
          type="text"
          aria-label="Path of a .gguf model file"
          placeholder="/home/you/models/model.gguf"
          spellCheck={false}
          value={path}
          onChange={(event) => setPath(event.target.value)}
        />
        <button type="submit" className="button" disabled={anyBusy || path.trim() === ""}>
          {importing ? "Reading…" : "Use this file"}
        </button>
      </form>
      <p className="model-panel-hint">Any chat model in GGUF format. The file stays where it is.</p>

      {embedders.length > 0 ? (
        <>
          <h3>Search by meaning (optional)</h3>
          <p className="model-panel-hint">
            A small sentence embedder lets Engram recall what you meant, not only the words you used.
          </p>
          <ul className="model-list">
            {embedders.map((model) => (
              <ModelRow key={model.id} model={model} />
            ))}
          </ul>
        </>
      ) : null}
    </dialog>
  );
}
