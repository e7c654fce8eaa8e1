import type { ConversationStore } from "../store/conversationStore.ts";

/**
 * Runs a background job about one conversation as a write to it (through its gate): a conversation deleted meanwhile
 * (or before a restart) has nothing left to work on, so the job ends as done; a delete arriving while it runs stops
 * it (`stop` aborts) and waits for it, then removes what it wrote.
 */
export async function runForConversation(
  conversations: ConversationStore,
  conversationId: string,
  signal: AbortSignal,
  work: (stop: AbortSignal) => Promise<void>,
): Promise<void> {
  if (!(await conversations.find(conversationId))) return;
  try {
    await conversations.gate.write(conversationId, (deleting) => work(AbortSignal.any([signal, deleting])));
  } catch (error) {
    // Stopped or refused because the conversation is being deleted: that is this job's end, not its failure.
    if (conversations.gate.isClosed(conversationId) && !signal.aborted) return;
    throw error;
  }
}
