import { useId } from "react";
import { useAppState } from "../../store/storeContext.ts";

/** Chooses which conversation a tab shows. */
export function ConversationPicker({ value, onChange }: { value: string | null; onChange(id: string): void }) {
  const conversations = useAppState((state) => state.conversations);
  const id = useId();
  return (
    <label className="inline-field" htmlFor={id}>
      <span>Conversation</span>
      <select id={id} value={value ?? ""} onChange={(event) => onChange(event.target.value)}>
        {value === null ? <option value="">Choose a conversation</option> : null}
        {conversations.map((conversation) => (
          <option key={conversation.id} value={conversation.id}>
            {conversation.title}
          </option>
        ))}
      </select>
    </label>
  );
}
