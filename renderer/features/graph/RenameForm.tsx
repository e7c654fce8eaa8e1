import { useState, type FormEvent } from "react";
import { useAppState } from "../../store/storeContext.ts";

/** Relabels an entity (entities.rename): the new name shows in the drawing at once. */
export function RenameForm({ entityId, label }: { entityId: string; label: string }) {
  const renameEntity = useAppState((state) => state.renameEntity);
  const busy = useAppState((state) => state.graphBusy === "rename");
  const [name, setName] = useState(label);
  const unchanged = name.trim() === "" || name.trim() === label;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!unchanged) void renameEntity(entityId, name.trim());
  };

  return (
    <form className="graph-form graph-rename" onSubmit={onSubmit}>
      <label>
        <span>Name</span>
        <input type="text" value={name} maxLength={300} onChange={(event) => setName(event.target.value)} />
      </label>
      <button type="submit" className="button" disabled={unchanged || busy}>
        {busy ? "Renaming…" : "Rename"}
      </button>
    </form>
  );
}
