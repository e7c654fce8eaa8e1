import { useState } from "react";
import { useAppState } from "../../store/storeContext.ts";
import { EntityPicker, type PickedEntity } from "./EntityPicker.tsx";

/** Merges the selected entity into another (entities.merge): for two names of one person. Reversible by a split. */
export function MergeForm({ entityId, label }: { entityId: string; label: string }) {
  const mergeEntity = useAppState((state) => state.mergeEntity);
  const busy = useAppState((state) => state.graphBusy === "merge");
  const [target, setTarget] = useState<PickedEntity | null>(null);

  return (
    <div className="graph-form graph-merge">
      <EntityPicker label="Same as" excludeId={entityId} picked={target} onPick={setTarget} />
      <button
        type="button"
        className="button"
        disabled={!target || busy}
        onClick={() => target && void mergeEntity(entityId, target.id).then((done) => done && setTarget(null))}
      >
        {busy ? "Merging…" : target ? `Merge ${label} into ${target.name}` : "Merge"}
      </button>
    </div>
  );
}
