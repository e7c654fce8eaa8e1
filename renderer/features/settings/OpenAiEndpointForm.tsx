import { useEffect, useState, type FormEvent } from "react";
import { useAppState } from "../../store/storeContext.ts";

/** An OpenAI-compatible server on this computer or network (Ollama, llama-server) answering instead of a GGUF. */
export function OpenAiEndpointForm() {
  const endpoint = useAppState((state) => state.settings?.openAiEndpoint);
  const offline = useAppState((state) => state.settings?.offline === true);
  const error = useAppState((state) => state.settingsError);
  const updateSettings = useAppState((state) => state.updateSettings);
  const [baseUrl, setBaseUrl] = useState(endpoint?.baseUrl ?? "");
  const [model, setModel] = useState(endpoint?.model ?? "");
  const [apiKey, setApiKey] = useState(endpoint?.apiKey ?? "");
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    setBaseUrl(endpoint?.baseUrl ?? "");
    setModel(endpoint?.model ?? "");
    setApiKey(endpoint?.apiKey ?? "");
  }, [endpoint]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const ok = await updateSettings({
      openAiEndpoint: {
        baseUrl: baseUrl.trim(),
        model: model.trim(),
        ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
      },
    });
    setSaved(ok);
  };

  const clear = async () => {
    setSaved(false);
    // A null clears an optional setting: the local model answers again.
    await updateSettings({ openAiEndpoint: null });
  };

  return (
    <form className="stacked-form" onSubmit={(event) => void submit(event)}>
      <label className="field">
        <span>Server address</span>
        <input
          type="url"
          placeholder="http://127.0.0.1:11434/v1"
          value={baseUrl}
          spellCheck={false}
          onChange={(event) => setBaseUrl(event.target.value)}
        />
      </label>
      <label className="field">
        <span>Model name</span>
        <input type="text" placeholder="llama3.2" value={model} onChange={(event) => setModel(event.target.value)} />
      </label>
      <label className="field">
        <span>API key (optional)</span>
        <input type="password" value={apiKey} autoComplete="off" onChange={(event) => setApiKey(event.target.value)} />
      </label>
      {offline ? (
        <p className="hint">Offline mode is on: Engram will not call a server outside this computer.</p>
      ) : null}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button" disabled={!baseUrl.trim() || !model.trim()}>
          Use this server
        </button>
        {endpoint ? (
          <button type="button" className="button subtle" onClick={() => void clear()}>
            Stop using it
          </button>
        ) : null}
        {saved ? <span role="status">Saved.</span> : null}
      </div>
    </form>
  );
}
