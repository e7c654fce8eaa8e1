import { useEffect } from "react";
import { useAppState } from "../../store/storeContext.ts";
import { EntitiesTab } from "./EntitiesTab.tsx";
import { EpisodesTab } from "./EpisodesTab.tsx";
import { FactsTab } from "./FactsTab.tsx";
import { FocusedMemories } from "./FocusedMemories.tsx";
import { MemorySearchBox } from "./MemorySearchBox.tsx";
import type { MemoryTab } from "./memorySlice.ts";
import { SearchResults } from "./SearchResults.tsx";
import { SummariesTab } from "./SummariesTab.tsx";
import { TimelineTab } from "./TimelineTab.tsx";
import { WorkingMemoryTab } from "./WorkingMemoryTab.tsx";
import "./memory.css";

const tabs: { id: MemoryTab; label: string }[] = [
  { id: "facts", label: "Facts" },
  { id: "entities", label: "Entities" },
  { id: "episodes", label: "Episodes" },
  { id: "summaries", label: "Summaries" },
  { id: "working", label: "Working memory" },
  { id: "timeline", label: "Timeline" },
];

/** What Engram remembers, to search, read, correct, pin, forget and restore. Works with no model at all. */
export function MemoryScreen() {
  const tab = useAppState((state) => state.memoryTab);
  const setTab = useAppState((state) => state.setMemoryTab);
  const hits = useAppState((state) => state.memoryHits);
  const clearSearch = useAppState((state) => state.clearMemorySearch);
  const conversations = useAppState((state) => state.conversations);
  const loadConversations = useAppState((state) => state.loadConversations);

  useEffect(() => {
    if (conversations.length === 0) void loadConversations();
  }, [conversations.length, loadConversations]);

  return (
    <div className="memory-screen">
      <header className="screen-header">
        <h1>Memory</h1>
        <MemorySearchBox />
      </header>
      <FocusedMemories />
      <div className="tab-bar" role="tablist" aria-label="Kinds of memory">
        {tabs.map((entry) => (
          <button
            key={entry.id}
            type="button"
            role="tab"
            id={`memory-tab-${entry.id}`}
            aria-selected={!hits && tab === entry.id}
            aria-controls="memory-panel"
            className="tab"
            onClick={() => {
              clearSearch();
              setTab(entry.id);
            }}
          >
            {entry.label}
          </button>
        ))}
      </div>
      <div className="memory-panel" role="tabpanel" id="memory-panel" aria-labelledby={`memory-tab-${tab}`}>
        {hits ? <SearchResults /> : null}
        {hits ? null : tab === "facts" ? <FactsTab /> : null}
        {hits ? null : tab === "entities" ? <EntitiesTab /> : null}
        {hits ? null : tab === "episodes" ? <EpisodesTab /> : null}
        {hits ? null : tab === "summaries" ? <SummariesTab /> : null}
        {hits ? null : tab === "working" ? <WorkingMemoryTab /> : null}
        {hits ? null : tab === "timeline" ? <TimelineTab /> : null}
      </div>
    </div>
  );
}
