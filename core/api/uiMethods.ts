import { z } from "zod";
import { Episode, Id } from "./entities.ts";

/** Methods the UI needs beyond those of each memory feature, spread into `methods`. */
export const uiMethods = {
  /**
   * Remembered turns by id (the memories a reply used, a fact's source turn). Ids not found (deleted, or only in the
   * archive) are left out, so `missing` lists them.
   */
  "episodes.get": {
    input: z.object({ ids: z.array(Id).min(1).max(500) }),
    output: z.object({ episodes: z.array(Episode), missing: z.array(Id) }),
  },
  /**
   * Deletes everything Engram remembers: every conversation with its messages, turns (both tiers), vectors and
   * summaries, the profile, facts, entities, relations, the change history and import records. Settings and installed
   * models stay. The input must say "DELETE", so no call wipes by accident.
   */
  "app.wipe": {
    input: z.object({ confirm: z.literal("DELETE") }),
    output: z.object({ conversations: z.number().int() }),
  },
} as const;
