import { useMemo } from "react";
import { useAppState } from "../../store/storeContext.ts";

const kindNames: Record<string, string> = {
  person: "People",
  place: "Places",
  organisation: "Organisations",
  thing: "Things",
  date: "Dates",
  value: "Values",
};
const knownKinds = Object.keys(kindNames);

/** The legend, which is also the filter by type: one checkbox per kind, with its colour and how many are shown. */
export function KindFilter() {
  const model = useAppState((state) => state.graphModel);
  const revision = useAppState((state) => state.graphRevision);
  const hidden = useAppState((state) => state.graphHiddenKinds);
  const toggle = useAppState((state) => state.toggleGraphKind);

  const counts = useMemo(() => {
    const byKind = new Map<string, number>();
    model.graph.forEachNode((_node, attributes) => byKind.set(attributes.kind, (byKind.get(attributes.kind) ?? 0) + 1));
    return byKind;
    // The model changes in place; its revision says when to count again.
  }, [model, revision]);
  const kinds = [...new Set([...knownKinds, ...counts.keys(), ...hidden])];

  return (
    <fieldset className="graph-kinds">
      <legend>Show</legend>
      {kinds.map((kind) => (
        <label key={kind} className="graph-kind">
          <input type="checkbox" checked={!hidden.includes(kind)} onChange={() => void toggle(kind)} />
          <span className="graph-swatch" data-kind={kind} aria-hidden="true" />
          {kindNames[kind] ?? kind}
          <span className="graph-kind-count">{counts.get(kind) ?? 0}</span>
        </label>
      ))}
    </fieldset>
  );
}
