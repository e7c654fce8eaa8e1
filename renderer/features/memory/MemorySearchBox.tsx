import { searchShortcutAttribute } from "../../shell/useGlobalShortcuts.ts";
import { useAppState } from "../../store/storeContext.ts";

/** The memory browser's search: Enter runs it over every remembered turn, fact and summary; Escape clears it. */
export function MemorySearchBox() {
  const query = useAppState((state) => state.memoryQuery);
  const searching = useAppState((state) => state.memorySearching);
  const setQuery = useAppState((state) => state.setMemoryQuery);
  const run = useAppState((state) => state.runMemorySearch);
  const clear = useAppState((state) => state.clearMemorySearch);
  return (
    <div className="memory-search" role="search">
      <input
        type="search"
        data-testid="memory-search"
        aria-label="Search memory"
        placeholder="Search memory (Enter)"
        value={query}
        {...{ [searchShortcutAttribute]: "" }}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            void run();
          }
          if (event.key === "Escape" && query) {
            event.preventDefault();
            clear();
          }
        }}
      />
      <button type="button" className="button" disabled={searching || !query.trim()} onClick={() => void run()}>
        {searching ? "Searching…" : "Search"}
      </button>
    </div>
  );
}
