import nlp from "compromise";
import { newId } from "../../store/ids.ts";
import type { EntityRow } from "../../store/schema.ts";
import type { ChangeSet } from "./changeSet.ts";
import { isSelfName, normaliseName, userEntityName } from "./names.ts";
import type { SemanticIndex } from "./semanticIndex.ts";

export type EntityType = EntityRow["type"];

/** A name's likely type when nothing else says (a fact the user typed): what compromise reads in it. */
export function guessType(name: string): EntityType {
  const document = nlp(name);
  if (document.people().found) return "person";
  if (document.places().found) return "place";
  if (document.organizations().found) return "organisation";
  return "thing";
}

/**
 * Finds the entity a name refers to, or makes one (logged in `change`). In order: the user ("I", "me", "user");
 * the same normalised name or alias (of the same type when several carry it); a person's first name alone when
 * exactly one known person has it as first name ("Ana" -> "Ana Silva"); else a new entity. A full name arriving
 * after its first name ("Ana Silva" after "Ana", and no other "Ana ...") gets its own entity with the first-name
 * entity merged into it, logged as a merge so entities.split undoes it.
 */
export function resolveEntity(
  index: SemanticIndex,
  change: ChangeSet,
  name: string,
  type: EntityType | null,
  seenAt: number | null,
): string {
  if (isSelfName(name)) return userEntity(index, change);
  const trimmed = name.trim().replace(/[.,;:!?]+$/, "");
  const known = pick(index, index.entitiesNamed(trimmed), type);
  if (known) return known;
  const words = normaliseName(trimmed).split(" ");
  if ((type === "person" || type === null) && words.length === 1) {
    const fullNames = personsWithFirstName(index, words[0]!);
    if (fullNames.length === 1) return fullNames[0]!;
  }
  const id = createEntity(change, trimmed, type ?? guessType(trimmed), seenAt);
  if ((type === "person" || (type === null && change.entities.get(id)!.type === "person")) && words.length > 1) {
    const shortForms = index
      .entitiesNamed(words[0]!)
      .filter((candidate) => candidate !== id && index.entities.get(candidate)?.type === "person");
    if (
      shortForms.length === 1 &&
      personsWithFirstName(index, words[0]!).filter((other) => other !== id).length === 0
    ) {
      const short = index.entities.get(shortForms[0]!)!;
      change.putEntity({ ...short, mergedInto: id, updatedAt: change.at }, "merge");
    }
  }
  return id;
}

/** The entity standing for the person using Engram. */
export function userEntity(index: SemanticIndex, change: ChangeSet): string {
  const known = index.entitiesNamed(userEntityName)[0];
  if (known) return known;
  return createEntity(change, userEntityName, "person", null, ["I", "me"]);
}

function createEntity(
  change: ChangeSet,
  name: string,
  type: EntityType,
  seenAt: number | null,
  aliases: string[] = [],
): string {
  const row: EntityRow = {
    id: newId("ent"),
    name,
    type,
    aliases: JSON.stringify(aliases),
    mergedInto: null,
    firstSeen: seenAt,
    lastSeen: seenAt,
    editedByUser: false,
    createdAt: change.at,
    updatedAt: change.at,
  };
  change.putEntity(row, "create");
  return row.id;
}

/** The best of several entities carrying one name: the requested type first, then the most mentioned. */
function pick(index: SemanticIndex, ids: string[], type: EntityType | null): string | null {
  if (ids.length === 0) return null;
  const typed = type ? ids.filter((id) => index.entities.get(id)?.type === type) : [];
  const pool = typed.length > 0 ? typed : ids;
  return pool.reduce((best, id) => (index.mentionCount(id) > index.mentionCount(best) ? id : best));
}

/** Canonical persons whose name has more than one word and starts with this first name. */
function personsWithFirstName(index: SemanticIndex, firstName: string): string[] {
  const out = new Set<string>();
  for (const [key, ids] of index.entityKeys) {
    if (!key.startsWith(`${firstName} `)) continue;
    for (const id of ids) {
      const canonical = index.canonical(id);
      if (index.entities.get(canonical)?.type === "person") out.add(canonical);
    }
  }
  return [...out];
}
