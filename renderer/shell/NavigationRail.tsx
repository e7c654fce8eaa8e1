import { useAppState } from "../store/storeContext.ts";
import type { Screen } from "./navigationSlice.ts";

const destinations: { screen: Screen; label: string; hint: string }[] = [
  { screen: "chat", label: "Chat", hint: "Conversations" },
  { screen: "memory", label: "Memory", hint: "What Engram remembers" },
  { screen: "graph", label: "Graph", hint: "The memory graph" },
  { screen: "settings", label: "Settings", hint: "Models, memory, data and privacy" },
];

/** The app's main navigation: one button per screen, the current one marked for assistive technology. */
export function NavigationRail() {
  const screen = useAppState((state) => state.screen);
  const go = useAppState((state) => state.go);
  return (
    <nav className="navigation-rail" aria-label="Main">
      <span className="navigation-brand" aria-hidden="true">
        E
      </span>
      {destinations.map((destination) => (
        <button
          key={destination.screen}
          type="button"
          className="navigation-button"
          data-testid={`nav-${destination.screen}`}
          aria-current={screen === destination.screen ? "page" : undefined}
          title={destination.hint}
          onClick={() => go(destination.screen)}
        >
          <span className={`navigation-icon icon-${destination.screen}`} aria-hidden="true" />
          <span className="navigation-label">{destination.label}</span>
        </button>
      ))}
    </nav>
  );
}
