/** The part of the Web Storage API positions are kept in (localStorage in the app, a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Where an entity was last drawn, in graph coordinates. */
export interface Position {
  x: number;
  y: number;
}

const storageKey = "engram.graph.positions";

/**
 * Remembers where each entity was drawn, so the graph opens on the picture the user already knows instead of laying
 * itself out again, across visits to the screen and across launches. Bounded: the positions written most recently
 * are kept (a whole memory of a few thousand entities fits in well under a megabyte).
 */
export class PositionMemory {
  readonly #storage: KeyValueStorage | null;
  readonly #limit: number;
  /** Insertion order is recency: a remembered position is moved to the end. */
  #positions = new Map<string, Position>();
  #loaded = false;

  constructor(storage: KeyValueStorage | null, limit = 20_000) {
    this.#storage = storage;
    this.#limit = limit;
  }

  recall(id: string): Position | undefined {
    this.#load();
    return this.#positions.get(id);
  }

  remember(id: string, x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.#load();
    this.#positions.delete(id);
    this.#positions.set(id, { x, y });
  }

  /** Writes the positions to storage (done when a layout settles or the screen closes, not on every move). */
  flush(): void {
    if (!this.#storage) return;
    const entries = [...this.#positions];
    const kept = entries.slice(Math.max(0, entries.length - this.#limit));
    const compact = kept.map(([id, { x, y }]) => [id, Math.round(x * 100) / 100, Math.round(y * 100) / 100]);
    try {
      this.#storage.setItem(storageKey, JSON.stringify(compact));
    } catch (error) {
      // A full or unavailable storage only costs a fresh layout next time; the graph itself is unaffected.
      console.warn("Engram: could not keep the graph's positions:", error);
    }
  }

  #load(): void {
    if (this.#loaded) return;
    this.#loaded = true;
    const text = this.#storage?.getItem(storageKey);
    if (!text) return;
    try {
      const entries: unknown = JSON.parse(text);
      if (!Array.isArray(entries)) return;
      for (const entry of entries) {
        if (!Array.isArray(entry) || entry.length !== 3) continue;
        const [id, x, y] = entry as unknown[];
        if (typeof id === "string" && typeof x === "number" && typeof y === "number") this.#positions.set(id, { x, y });
      }
    } catch (error) {
      // Storage is the page's own, but may be left over from another version: start fresh rather than fail.
      console.warn("Engram: ignoring unreadable graph positions:", error);
    }
  }
}
