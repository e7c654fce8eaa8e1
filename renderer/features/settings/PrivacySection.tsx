import type { McpAccess } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";

const mcpChoices: { value: McpAccess; label: string }[] = [
  { value: "off", label: "Off: no other tool may use the memory" },
  { value: "read", label: "Read: they may search it" },
  { value: "write", label: "Read and write: they may also add to it" },
];

/** The offline switch: with it on, Engram refuses every download and every outside endpoint. */
export function PrivacySection() {
  const offline = useAppState((state) => state.settings?.offline);
  const mcpAccess = useAppState((state) => state.settings?.mcpAccess);
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
      <fieldset className="choice-group">
        <legend>
          <strong>Other AI tools on this computer</strong> (through the MCP server, <code>npm run mcp</code>)
        </legend>
        {mcpChoices.map((choice) => (
          <label key={choice.value} className="switch-field">
            <input
              type="radio"
              name="mcp-access"
              value={choice.value}
              checked={mcpAccess === choice.value}
              onChange={() => void updateSettings({ mcpAccess: choice.value })}
            />
            <span>{choice.label}</span>
          </label>
        ))}
      </fieldset>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
