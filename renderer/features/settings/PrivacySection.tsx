import { useAppState } from "../../store/storeContext.ts";

/** The offline switch: with it on, Engram refuses every download and every outside endpoint. */
export function PrivacySection() {
  const offline = useAppState((state) => state.settings?.offline);
  const error = useAppState((state) => state.settingsError);
  const updateSettings = useAppState((state) => state.updateSettings);
  if (offline === undefined) return <p className="hint">Loading…</p>;
  return (
    <section className="settings-section" aria-labelledby="privacy-title">
      <h2 id="privacy-title">Privacy</h2>
      <p className="hint">
        Everything Engram remembers stays in its data folder on this computer. The only traffic it ever makes is a model
        download you ask for, or calls to an OpenAI-compatible server you set up.
      </p>
      <label className="switch-field">
        <input
          type="checkbox"
          role="switch"
          checked={offline}
          onChange={(event) => void updateSettings({ offline: event.target.checked })}
        />
        <span>
          <strong>Offline</strong>: block every download and every outside endpoint.
        </span>
      </label>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
