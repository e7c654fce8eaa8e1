import { useState } from "react";
import { ConfirmDialog } from "../../shell/ConfirmDialog.tsx";
import { useAppState } from "../../store/storeContext.ts";

/** Deletes everything Engram remembers, after the user types DELETE. Settings and downloaded models stay. */
export function WipeMemory() {
  const busy = useAppState((state) => state.transfer !== null);
  const wipeMemory = useAppState((state) => state.wipeMemory);
  const [asking, setAsking] = useState(false);
  return (
    <div className="danger-zone">
      <h3>Delete all memory</h3>
      <p className="hint">
        Every conversation, remembered turn (archived ones too), summary, fact and entity, and the change history.
        Settings and downloaded models stay. Export first if you may want it back.
      </p>
      <button type="button" className="button danger" disabled={busy} onClick={() => setAsking(true)}>
        Delete all memory…
      </button>
      {asking ? (
        <ConfirmDialog
          title="Delete everything Engram remembers?"
          confirmLabel="Delete all memory"
          typedConfirmation="DELETE"
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            void wipeMemory("DELETE");
          }}
        >
          <p>This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
