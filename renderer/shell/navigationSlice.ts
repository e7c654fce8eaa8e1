import type { SliceCreator } from "../store/appState.ts";

/** The app's screens, one per folder of renderer/features. */
export const screens = ["chat", "memory", "graph", "settings", "setup"] as const;
export type Screen = (typeof screens)[number];

/** Sections of the settings screen, so another screen can open the one it needs ("Set up a model" opens models). */
export type SettingsSection = "models" | "memory" | "data" | "privacy";

export interface NavigationSlice {
  screen: Screen;
  settingsSection: SettingsSection;
  /** Shows a screen; the address keeps it (`#/memory`) so a reload and the Back button return to it. */
  go(screen: Screen): void;
  openSettings(section: SettingsSection): void;
}

const isScreen = (value: string): value is Screen => (screens as readonly string[]).includes(value);

/** The screen named in the address (`#/settings`), if any. */
export function screenFromHash(hash: string): Screen | null {
  const name = /^#\/([a-z]+)$/.exec(hash)?.[1];
  return name && isScreen(name) ? name : null;
}

/** The address of a screen, for the history entry `go` pushes. */
export const hashOfScreen = (screen: Screen) => `#/${screen}`;

export const createNavigationSlice =
  (initial: Screen = "chat"): SliceCreator<NavigationSlice> =>
  (set) => ({
    screen: initial,
    settingsSection: "models",
    go: (screen) => set({ screen }),
    openSettings: (settingsSection) => set({ screen: "settings", settingsSection }),
  });
