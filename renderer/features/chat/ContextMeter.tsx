import { useAppState } from "../../store/storeContext.ts";

/**
 * How much of the prompt budget the last reply's prompt took (memories, summary and recent turns), from chat.done.
 * Before the first reply of a session only the budget is known.
 */
export function ContextMeter({ conversationId }: { conversationId: string | null }) {
  const used = useAppState((state) => (conversationId ? state.promptTokens[conversationId] : undefined));
  const budget = useAppState((state) => state.settings?.promptBudgetTokens);
  if (budget === undefined) return null;
  const label =
    used === undefined
      ? `Context: up to ${budget.toLocaleString()} tokens`
      : `Context: ${used.toLocaleString()} of ${budget.toLocaleString()} tokens`;
  return (
    <div
      className="context-meter"
      data-testid="context-meter"
      data-used={used ?? ""}
      data-budget={budget}
      title="Tokens the last prompt used (memories, summary, recent turns) of the prompt budget set in Settings"
    >
      <meter min={0} max={budget} value={used ?? 0} aria-label="Prompt tokens used of the budget" />
      <span>{label}</span>
    </div>
  );
}
