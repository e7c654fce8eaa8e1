import { useState, type KeyboardEvent } from "react";
import { useAppState } from "../../store/storeContext.ts";

/** An entity the user picked: its id and the name it was picked by. */
export interface PickedEntity {
  id: string;
  name: string;
}

interface EntityPickerProps {
  label: string;
  /** An entity that cannot be picked (the selected one itself). */
  excludeId: string;
  picked: PickedEntity | null;
  onPick(entity: PickedEntity | null): void;
}

/**
 * Picks another entity by name: entities on screen match as the user types, Enter also asks the engine (the one
 * wanted may not be shown). The candidates are buttons, so the keyboard reaches them with Tab.
 */
export function EntityPicker({ label, excludeId, picked, onPick }: EntityPickerProps) {
  const model = useAppState((state) => state.graphModel);
  const findEntities = useAppState((state) => state.findEntities);
  const [text, setText] = useState("");
  const [found, setFound] = useState<PickedEntity[]>([]);

  const query = text.trim().toLowerCase();
  const onScreen: PickedEntity[] = query
    ? model.graph
        .filterNodes((node, attributes) => node !== excludeId && attributes.label.toLowerCase().includes(query))
        .slice(0, 6)
        .map((node) => ({ id: node, name: model.graph.getNodeAttribute(node, "label") }))
    : [];
  const candidates = [...onScreen, ...found.filter((entity) => !onScreen.some((shown) => shown.id === entity.id))]
    .filter((entity) => entity.id !== excludeId)
    .slice(0, 8);

  const onKeyDown = async (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const entities = await findEntities(text);
    setFound(entities.map((entity) => ({ id: entity.id, name: entity.name })));
  };

  if (picked) {
    return (
      <p className="graph-picked">
        {label}: <strong>{picked.name}</strong>{" "}
        <button type="button" className="link-button" onClick={() => onPick(null)}>
          Change
        </button>
      </p>
    );
  }
  return (
    <div className="graph-picker">
      <label>
        <span>{label}</span>
        <input
          type="search"
          value={text}
          placeholder="Name, then Enter to search all"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => void onKeyDown(event)}
        />
      </label>
      {candidates.length > 0 ? (
        <ul className="graph-candidates">
          {candidates.map((entity) => (
            <li key={entity.id}>
              <button type="button" className="graph-candidate" onClick={() => onPick(entity)}>
                {entity.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
