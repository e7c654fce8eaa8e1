import { useState, type FormEvent } from "react";
import { useAppState } from "../../store/storeContext.ts";

/** A .gguf from an address the user knows (a mirror, a server on the local network), optionally checked by sha256. */
export function ModelUrlDownload() {
  const offline = useAppState((state) => state.settings?.offline === true);
  const downloadModelFromUrl = useAppState((state) => state.downloadModelFromUrl);
  const [url, setUrl] = useState("");
  const [name, setName] = useState("");
  const [sha256, setSha256] = useState("");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const started = await downloadModelFromUrl({
      url: url.trim(),
      name: name.trim(),
      ...(sha256.trim() ? { sha256: sha256.trim() } : {}),
    });
    if (started) {
      setUrl("");
      setName("");
      setSha256("");
    }
  };

  return (
    <form className="stacked-form" onSubmit={(event) => void submit(event)}>
      <label className="field">
        <span>Address of the .gguf file</span>
        <input
          type="url"
          placeholder="https://example.org/models/model.gguf"
          spellCheck={false}
          value={url}
          onChange={(event) => setUrl(event.target.value)}
        />
      </label>
      <label className="field">
        <span>Name to show</span>
        <input type="text" placeholder="My model" value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <label className="field">
        <span>sha256 (optional, checked after the download)</span>
        <input
          type="text"
          spellCheck={false}
          pattern="[0-9a-fA-F]{64}"
          value={sha256}
          onChange={(event) => setSha256(event.target.value)}
        />
      </label>
      <div className="form-actions">
        <button type="submit" className="button" disabled={offline || !url.trim() || !name.trim()}>
          Download
        </button>
        {offline ? <span className="hint">Offline mode is on (Settings, Privacy).</span> : null}
      </div>
    </form>
  );
}
