import { useState } from "react";
import type { Fact } from "../../../core/api/index.ts";
import { formatDate } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";
import { FactEditor } from "./FactEditor.tsx";
import { FactHistory } from "./FactHistory.tsx";

const statusLabel: Record<Fact["status"], string> = {
  active: "Current",
  superseded: "Superseded",
  deleted: "Deleted",
};

/**
 * One fact: its sentence, how long it held, where it came from; edit it in place, pin it (never demoted), delete or
 * restore it, and read its history with undo.
 */
export function FactRow({ fact }: { fact: Fact }) {
  const [editing, setEditing] = useState(false);
  const historyOpen = useAppState((state) => state.factHistory[fact.id] !== undefined);
  const focused = useAppState((state) => state.focusedMemoryIds?.includes(fact.id) ?? false);
  const pinFact = useAppState((state) => state.pinFact);
  const removeFact = useAppState((state) => state.removeFact);
  const restoreFact = useAppState((state) => state.restoreFact);
  const loadFactHistory = useAppState((state) => state.loadFactHistory);
  const closeFactHistory = useAppState((state) => state.closeFactHistory);
  const showTurnInChat = useAppState((state) => state.showTurnInChat);
  const source = fact.sources.find((candidate) => candidate.conversationId);

  const held = [
    fact.validFrom ? `since ${formatDate(fact.validFrom)}` : null,
    fact.validTo ? `until ${formatDate(fact.validTo)}` : null,
  ].filter(Boolean);

  return (
    <li
      className="memory-row fact-row"
      data-testid="fact-row"
      data-fact-id={fact.id}
      data-status={fact.status}
      data-pinned={fact.pinned ? "true" : undefined}
      data-focused={focused ? "true" : undefined}
    >
      <div className="memory-meta">
        <span className={fact.status === "active" ? "badge" : "badge muted"}>{statusLabel[fact.status]}</span>
        {fact.pinned ? <span className="badge">Pinned</span> : null}
        {fact.editedByUser ? <span className="badge muted">Edited by you</span> : null}
        <span>
          {fact.subject} · {fact.predicate}
        </span>
        {held.length > 0 ? <span>{held.join(", ")}</span> : null}
        <span title="How sure the extraction was">{Math.round(fact.confidence * 100)}%</span>
        <span>{fact.origin === "user" ? "added by you" : "learned from a conversation"}</span>
      </div>
      {editing ? (
        <FactEditor fact={fact} onDone={() => setEditing(false)} />
      ) : (
        <p className="memory-text">{fact.statement}</p>
      )}
      {editing ? null : (
        <div className="row-actions">
          {fact.status !== "deleted" ? (
            <button type="button" className="text-button" onClick={() => setEditing(true)}>
              Edit
            </button>
          ) : null}
          <button type="button" className="text-button" onClick={() => void pinFact(fact.id, !fact.pinned)}>
            {fact.pinned ? "Unpin" : "Pin"}
          </button>
          {fact.status === "deleted" ? (
            <button type="button" className="text-button" onClick={() => void restoreFact(fact.id)}>
              Restore
            </button>
          ) : (
            <button type="button" className="text-button" onClick={() => void removeFact(fact.id)}>
              Delete
            </button>
          )}
          <button
            type="button"
            className="text-button"
            aria-expanded={historyOpen}
            onClick={() => (historyOpen ? closeFactHistory(fact.id) : void loadFactHistory(fact.id))}
          >
            {historyOpen ? "Hide history" : "History"}
          </button>
          {source?.conversationId ? (
            <button
              type="button"
              className="text-button"
              onClick={() =>
                void showTurnInChat({
                  id: source.episodeId ?? "",
                  conversationId: source.conversationId,
                  messageId: source.messageId,
                  text: "",
                })
              }
            >
              Show the source
            </button>
          ) : null}
        </div>
      )}
      {historyOpen ? <FactHistory factId={fact.id} /> : null}
    </li>
  );
}
