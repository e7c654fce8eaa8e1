import { useAppState } from "../../store/storeContext.ts";

/** The conversation list's footer: which chat model answers, or that none does; opens the models settings. */
export function ModelStatus() {
  const chatModelId = useAppState((state) => state.chatModelId);
  const name = useAppState((state) => state.models.find((model) => model.id === state.chatModelId)?.name);
  const host = useAppState((state) => state.modelHost);
  const openSettings = useAppState((state) => state.openSettings);
  if (chatModelId === undefined) return null;

  let label: string;
  let tone: "ready" | "missing" | "busy" | "fault";
  if (host?.state === "loading") [label, tone] = ["Loading the chat model…", "busy"];
  else if (host?.state === "crashed") [label, tone] = ["The model stopped; restarting…", "fault"];
  else if (chatModelId === null) [label, tone] = ["No chat model", "missing"];
  else [label, tone] = [name ?? chatModelId, "ready"];

  return (
    <div className="model-status">
      <button
        type="button"
        className="model-status-button"
        data-tone={tone}
        onClick={() => openSettings("models")}
        title="Chat model"
      >
        <span className="model-status-dot" aria-hidden="true" />
        <span className="model-status-label">{label}</span>
        <span className="model-status-action">{chatModelId === null ? "Set up" : "Change"}</span>
      </button>
    </div>
  );
}
