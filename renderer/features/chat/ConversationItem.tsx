import { useState, type FormEvent } from "react";
import type { Conversation } from "../../../core/api/index.ts";
import { ConfirmDialog } from "../../shell/ConfirmDialog.tsx";
import { useAppState } from "../../store/storeContext.ts";

/** One conversation in the list: opens it; Rename edits the title in place; Delete asks first. */
export function ConversationItem({ conversation }: { conversation: Conversation }) {
  const selected = useAppState((state) => state.selectedConversationId === conversation.id);
  const selectConversation = useAppState((state) => state.selectConversation);
  const renameConversation = useAppState((state) => state.renameConversation);
  const deleteConversation = useAppState((state) => state.deleteConversation);
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(conversation.title);
  const [confirming, setConfirming] = useState(false);

  const saveTitle = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed || trimmed === conversation.title || (await renameConversation(conversation.id, trimmed))) {
      setEditing(false);
    }
  };

  if (editing) {
    return (
      <li className="conversation-item editing">
        <form onSubmit={(event) => void saveTitle(event)}>
          <input
            type="text"
            aria-label="Conversation title"
            value={title}
            maxLength={200}
            autoFocus
            onChange={(event) => setTitle(event.target.value)}
            onBlur={(event) => void saveTitle(event)}
            onKeyDown={(event) => {
              if (event.key === "Escape") {
                event.preventDefault();
                setTitle(conversation.title);
                setEditing(false);
              }
            }}
          />
        </form>
      </li>
    );
  }

  return (
    <li className={selected ? "conversation-item selected" : "conversation-item"}>
      <button
        type="button"
        className="conversation"
        aria-current={selected ? "page" : undefined}
        onClick={() => void selectConversation(conversation.id)}
        onDoubleClick={() => {
          setTitle(conversation.title);
          setEditing(true);
        }}
      >
        {conversation.title}
      </button>
      <span className="conversation-actions">
        <button
          type="button"
          className="icon-button"
          aria-label={`Rename “${conversation.title}”`}
          title="Rename"
          onClick={() => {
            setTitle(conversation.title);
            setEditing(true);
          }}
        >
          ✎
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`Delete “${conversation.title}”`}
          title="Delete"
          onClick={() => setConfirming(true)}
        >
          ×
        </button>
      </span>
      {confirming ? (
        <ConfirmDialog
          title="Delete this conversation?"
          confirmLabel="Delete"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void deleteConversation(conversation.id);
          }}
        >
          <p>
            “{conversation.title}” and everything Engram remembers from it (its turns and summary) will be deleted. This
            cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}
