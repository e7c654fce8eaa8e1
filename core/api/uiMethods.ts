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
} as const;
