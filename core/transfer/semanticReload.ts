import type { SemanticMemory } from "../memory/semantic/semanticMemory.ts";
import type { EntityRow, FactRow, MentionRow, RelationRow } from "../store/schema.ts";
import type { TableTransfer } from "../store/tableTransfer.ts";

/**
 * Rebuilds the semantic memory's in-memory index from its tables, after a transfer wrote to them directly (an Engram
 * import, or the rollback of a half-written import): the tables are the truth the index is made from.
 */
export async function reloadSemanticIndex(tables: TableTransfer, semantic: SemanticMemory): Promise<void> {
  const [facts, entities, relations, mentions] = await Promise.all([
    tables.all<FactRow>("facts"),
    tables.all<EntityRow>("entities"),
    tables.all<RelationRow>("relations"),
    tables.all<MentionRow>("mentions"),
  ]);
  semantic.index.load({ facts, entities, relations, mentions });
}
