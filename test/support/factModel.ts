import type { ChatMessage, JsonSchema } from "../../core/model/interfaces.ts";
import { ScriptedChatModel } from "./scriptedModel.ts";

/** A fact the scripted model says a turn holds (the rest of the fact call's fields get plain defaults). */
export interface ScriptedFact {
  subject: string;
  predicate: string;
  object: string;
  statement: string;
  objectType?: string;
  validFrom?: string;
}

/**
 * A scripted model whose fact calls answer from a table keyed by words of the turn: what a small model would say
 * for that turn. Other JSON calls (summaries) get a summary; chat replies come from `reply` when given.
 */
export function factModel(script: Record<string, ScriptedFact[]>, reply?: () => string): ScriptedChatModel {
  const model = new ScriptedChatModel(reply ? { reply } : {});
  model.json = (messages: ChatMessage[], schema: JsonSchema) => {
    if (!("facts" in ((schema.properties as object) ?? {}))) return { summary: "A conversation." };
    const turns = messages.at(-1)!.content.split("\n");
    const facts = turns.flatMap((line, index) =>
      Object.entries(script)
        .filter(([words]) => line.includes(words))
        .flatMap(([, said]) =>
          said.map((fact) => ({
            turn: index + 1,
            subjectType: "person",
            objectType: "place",
            confidence: "high",
            validFrom: "",
            ...fact,
          })),
        ),
    );
    return { facts };
  };
  return model;
}
