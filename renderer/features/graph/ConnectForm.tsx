import { useState, type FormEvent } from "react";
import { useAppState } from "../../store/storeContext.ts";
import { EntityPicker, type PickedEntity } from "./EntityPicker.tsx";

/** Links the selected entity to another with a label of the user's (relations.create). */
export function ConnectForm({ entityId }: { entityId: string }) {
  const connectEntities = useAppState((state) => state.connectEntities);
  const busy = useAppState((state) => state.graphBusy === "connect");
  const [target, setTarget] = useState<PickedEntity | null>(null);
  const [label, setLabel] = useState("");

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!target || !label.trim()) return;
    if (await connectEntities(entityId, target.id, label.trim())) {
      setTarget(null);
      setLabel("");
    }
  };

  return (
    <form className="graph-form graph-connect" onSubmit={(event) => void onSubmit(event)}>
      <EntityPicker label="Connect to" excludeId={entityId} picked={target} onPick={setTarget} />
      <label>
        <span>Relation</span>
        <input
          type="text"
          value={label}
          maxLength={300}
          placeholder="e.g. works with"
          onChange={(event) => setLabel(event.target.value)}
        />
      </label>
      <button type="submit" className="button" disabled={!target || !label.trim() || busy}>
        {busy ? "Connecting…" : "Connect"}
      </button>
    </form>
  );
}
