import { useAppState } from "../../store/storeContext.ts";

/** Above the message box while no chat model answers: what still works, and the one step to get replies. */
export function NoModelBanner() {
  const missing = useAppState((state) => state.chatModelId === null && state.modelHost?.state !== "loading");
  const openSettings = useAppState((state) => state.openSettings);
  if (!missing) return null;
  return (
    <div className="no-model-banner" role="status">
      <span>
        <strong>No chat model yet.</strong> Engram saves and searches everything you write; to get replies, give it a
        model that runs on this computer.
      </span>
      <button type="button" className="button primary" onClick={() => openSettings("models")}>
        Set up a model
      </button>
    </div>
  );
}
