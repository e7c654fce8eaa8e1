import { useAppState } from "../../store/storeContext.ts";

/** Under a reply: how many memories its prompt used; opens them in the memory browser. */
export function UsedMemories({ memoryIds, conversationId }: { memoryIds: string[]; conversationId: string }) {
  const openMemories = useAppState((state) => state.openMemories);
  if (memoryIds.length === 0) return null;
  return (
    <button
      type="button"
      className="text-button used-memories"
      onClick={() => openMemories(memoryIds, conversationId)}
      title="Show the memories this reply was given"
    >
      {memoryIds.length === 1 ? "1 memory used" : `${memoryIds.length} memories used`}
    </button>
  );
}
