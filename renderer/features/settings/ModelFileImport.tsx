import { useState, type FormEvent } from "react";
import { useAppState } from "../../store/storeContext.ts";

/**
 * Use a .gguf already on this computer. In the desktop app the system's file dialog picks it (main opens the dialog
 * and imports the file, so the page never handles a path); headless, the path is typed.
 */
export function ModelFileImport() {
  const desktop = useAppState((state) => state.desktop);
  const importing = useAppState((state) => state.modelBusy === "import");
  const anyBusy = useAppState((state) => state.modelBusy !== null);
  const chooseModelFile = useAppState((state) => state.chooseModelFile);
  const pickModelFile = useAppState((state) => state.pickModelFile);
  const [path, setPath] = useState("");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() && (await chooseModelFile(path.trim()))) setPath("");
  };

  return (
    <>
      {desktop ? (
        <div className="inline-form">
          <button type="button" className="button" disabled={anyBusy} onClick={() => void pickModelFile()}>
            {importing ? "Reading…" : "Choose a .gguf file…"}
          </button>
        </div>
      ) : (
        <form className="inline-form" onSubmit={(event) => void submit(event)}>
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
      )}
      <p className="hint">Any chat model in GGUF format. The file stays where it is.</p>
    </>
  );
}
