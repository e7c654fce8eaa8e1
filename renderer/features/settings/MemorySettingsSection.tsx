import { useEffect, useState, type FormEvent } from "react";
import type { Settings } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";

type MemoryFields = Pick<Settings, "promptBudgetTokens" | "forgetAfterDays" | "maxHotEpisodes" | "digestEveryTurns">;

const fields: { key: keyof MemoryFields; label: string; hint: string; min: number; max?: number }[] = [
  {
    key: "promptBudgetTokens",
    label: "Prompt budget (tokens)",
    hint: "How much memory, summary and recent conversation each prompt may hold. More recalls more, but answers slower.",
    min: 512,
    max: 131072,
  },
  {
    key: "forgetAfterDays",
    label: "Archive rarely used turns after (days)",
    hint: "Turns not recalled for this long, and of low importance, move to the archive: still searched (ranked lower), exported and restorable. Pinned and edited memories never move.",
    min: 1,
    max: 36500,
  },
  {
    key: "maxHotEpisodes",
    label: "Turns kept in the fast index",
    hint: "Beyond this many, the least used turns are archived first.",
    min: 1000,
  },
  {
    key: "digestEveryTurns",
    label: "Summarise summaries every (turns)",
    hint: "How often a conversation's running summaries are folded into a summary of summaries.",
    min: 2,
    max: 10000,
  },
];

/** The memory budget and the forgetting policy, saved together; automatic extraction, saved as it is switched. */
export function MemorySettingsSection() {
  const settings = useAppState((state) => state.settings);
  const error = useAppState((state) => state.settingsError);
  const updateSettings = useAppState((state) => state.updateSettings);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (settings) setDraft(Object.fromEntries(fields.map((field) => [field.key, String(settings[field.key])])));
  }, [settings]);

  if (!settings) return <p className="hint">Loading…</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const changes = Object.fromEntries(fields.map((field) => [field.key, Number(draft[field.key])]));
    setSaved(await updateSettings(changes));
  };

  return (
    <section className="settings-section" aria-labelledby="memory-settings-title">
      <h2 id="memory-settings-title">Memory</h2>
      <form className="stacked-form" onSubmit={(event) => void submit(event)}>
        {fields.map((field) => (
          <label className="field" key={field.key}>
            <span>{field.label}</span>
            <input
              type="number"
              inputMode="numeric"
              min={field.min}
              max={field.max}
              step={1}
              value={draft[field.key] ?? ""}
              onChange={(event) => {
                setSaved(false);
                setDraft({ ...draft, [field.key]: event.target.value });
              }}
            />
            <small className="hint">{field.hint}</small>
          </label>
        ))}
        {error ? (
          <p className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button primary">
            Save
          </button>
          {saved ? <span role="status">Saved.</span> : null}
        </div>
      </form>
      <fieldset className="choice-group memory-extraction">
        <legend>
          <strong>Automatic extraction</strong>
        </legend>
        <label className="switch-field">
          <input
            type="checkbox"
            role="switch"
            checked={settings.autoExtract}
            onChange={(event) => void updateSettings({ autoExtract: event.target.checked })}
          />
          <span>Read new turns for facts and entities</span>
        </label>
        <small className="hint">
          They feed the answers and the memory graph (facts need a chat model). While this is off, new turns are never
          read for them; the facts and entities you make yourself stay. Saved as you switch it.
        </small>
      </fieldset>
    </section>
  );
}
