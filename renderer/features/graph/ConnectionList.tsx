import { useAppState } from "../../store/storeContext.ts";

/** How a relation came to be, in the user's words. */
const origins: Record<string, string> = { fact: "fact", cooccurrence: "mentioned together", user: "your link" };

/**
 * The selected entity's relations on screen: each names the entity at its other end (a button that selects it, so
 * the graph can be walked with the keyboard) and can be deleted.
 */
export function ConnectionList({ entityId }: { entityId: string }) {
  const model = useAppState((state) => state.graphModel);
  useAppState((state) => state.graphRevision);
  const selectGraphNode = useAppState((state) => state.selectGraphNode);
  const deleteRelation = useAppState((state) => state.deleteRelation);
  const busy = useAppState((state) => state.graphBusy === "delete");
  const graph = model.graph;
  if (!graph.hasNode(entityId)) return null;
  const edges = graph.edges(entityId);

  return (
    <section className="graph-section" aria-labelledby="graph-connections-title">
      <h3 id="graph-connections-title">Connections ({edges.length})</h3>
      {edges.length === 0 ? <p className="graph-empty">No relation on screen.</p> : null}
      <ul className="graph-connections">
        {edges.map((edge) => {
          const outgoing = graph.source(edge) === entityId;
          const other = outgoing ? graph.target(edge) : graph.source(edge);
          const { label, relation } = graph.getEdgeAttributes(edge);
          const otherLabel = graph.getNodeAttribute(other, "label");
          return (
            <li key={edge} className="graph-connection">
              <span className="graph-connection-label">{outgoing ? `${label} →` : `← ${label}`}</span>
              <button type="button" className="link-button" onClick={() => void selectGraphNode(other)}>
                {otherLabel}
              </button>
              <span className="graph-connection-origin">{origins[relation] ?? relation}</span>
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                aria-label={`Delete the relation ${label} ${otherLabel}`}
                onClick={() => void deleteRelation(edge)}
              >
                Delete
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
