import { useState } from "react";
import { useAppState } from "../../store/storeContext.ts";
import { ConnectForm } from "./ConnectForm.tsx";
import { ConnectionList } from "./ConnectionList.tsx";
import { FactList } from "./FactList.tsx";
import { MergeForm } from "./MergeForm.tsx";
import { RenameForm } from "./RenameForm.tsx";

/** The selected entity: its facts and their sources, its relations, and the edits (rename, merge, connect). */
export function NodeInspector() {
  const selected = useAppState((state) => state.graphSelectedId);
  const model = useAppState((state) => state.graphModel);
  useAppState((state) => state.graphRevision);
  const focusEntity = useAppState((state) => state.focusEntity);
  const selectGraphNode = useAppState((state) => state.selectGraphNode);
  const [depth, setDepth] = useState(1);
  if (!selected || !model.graph.hasNode(selected)) {
    return (
      <aside className="graph-inspector graph-inspector-empty" aria-label="Entity">
        <p>Click an entity, or search for one, to see what Engram knows about it.</p>
      </aside>
    );
  }
  const { label, kind } = model.graph.getNodeAttributes(selected);
  const isEntity = kind !== "value";

  return (
    <aside className="graph-inspector" aria-label={`Entity ${label}`}>
      <header className="graph-inspector-header">
        <span className="graph-swatch" data-kind={kind} aria-hidden="true" />
        <h2>{label}</h2>
        <span className="graph-kind-name">{kind}</span>
        <button
          type="button"
          className="button button-small"
          aria-label="Close the entity"
          onClick={() => void selectGraphNode(null)}
        >
          ×
        </button>
      </header>
      <div className="graph-focus">
        <button type="button" className="button" onClick={() => void focusEntity(selected, depth)}>
          Show its neighbourhood
        </button>
        <label>
          <span className="visually-hidden">Steps</span>
          <select value={depth} onChange={(event) => setDepth(Number(event.target.value))}>
            <option value={1}>1 step</option>
            <option value={2}>2 steps</option>
            <option value={3}>3 steps</option>
          </select>
        </label>
      </div>
      {isEntity ? <RenameForm key={`${selected}:${label}`} entityId={selected} label={label} /> : null}
      <FactList />
      <ConnectionList entityId={selected} />
      {isEntity ? (
        <details className="graph-edits">
          <summary>Merge or connect</summary>
          <MergeForm key={`merge:${selected}`} entityId={selected} label={label} />
          <ConnectForm key={`connect:${selected}`} entityId={selected} />
        </details>
      ) : null}
    </aside>
  );
}
