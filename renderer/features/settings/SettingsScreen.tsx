import { useEffect } from "react";
import type { SettingsSection } from "../../shell/navigationSlice.ts";
import { useAppState } from "../../store/storeContext.ts";
import { DataSection } from "./DataSection.tsx";
import { MemorySettingsSection } from "./MemorySettingsSection.tsx";
import { ModelsSection } from "./ModelsSection.tsx";
import { PrivacySection } from "./PrivacySection.tsx";
import "./settings.css";

const sections: { id: SettingsSection; label: string }[] = [
  { id: "models", label: "Models" },
  { id: "memory", label: "Memory" },
  { id: "data", label: "Data" },
  { id: "privacy", label: "Privacy" },
];

/** Settings: models and downloads, memory budget and forgetting, the data folder and transfers, privacy. */
export function SettingsScreen() {
  const section = useAppState((state) => state.settingsSection);
  const openSettings = useAppState((state) => state.openSettings);
  const loadSettings = useAppState((state) => state.loadSettings);
  const loadStats = useAppState((state) => state.loadStats);
  const loadModels = useAppState((state) => state.loadModels);

  useEffect(() => {
    void loadSettings();
    void loadStats();
    void loadModels();
  }, [loadSettings, loadStats, loadModels]);

  return (
    <div className="settings-screen">
      <header className="screen-header">
        <h1>Settings</h1>
      </header>
      <div className="settings-body">
        <div className="section-tabs" role="tablist" aria-label="Settings sections" aria-orientation="vertical">
          {sections.map((entry) => (
            <button
              key={entry.id}
              type="button"
              role="tab"
              id={`settings-tab-${entry.id}`}
              aria-selected={section === entry.id}
              aria-controls="settings-panel"
              className="section-tab"
              onClick={() => openSettings(entry.id)}
            >
              {entry.label}
            </button>
          ))}
        </div>
        <div className="settings-panel" role="tabpanel" id="settings-panel" aria-labelledby={`settings-tab-${section}`}>
          {section === "models" ? <ModelsSection /> : null}
          {section === "memory" ? <MemorySettingsSection /> : null}
          {section === "data" ? <DataSection /> : null}
          {section === "privacy" ? <PrivacySection /> : null}
        </div>
      </div>
    </div>
  );
}
