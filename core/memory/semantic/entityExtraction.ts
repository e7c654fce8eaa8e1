import nlp from "compromise";
import datesPlugin from "compromise-dates";
import type { EntityRow } from "../../store/schema.ts";

nlp.plugin(datesPlugin);

/** An entity a turn mentions, as the NLP library read it. */
export interface FoundEntity {
  /** The name it is stored under (a date: its day, YYYY-MM-DD). */
  name: string;
  type: EntityRow["type"];
  /** The words the turn used. */
  surface: string;
}

/** Words that may signal a date; turns without one skip the (slower) date parser. */
const mayHoldDate =
  /\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\b|\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(yesterday|today|tomorrow|tonight)\b|\b\d{1,2}(st|nd|rd|th)\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\b/i;

/** Names compromise sometimes tags as people or places that name no one in particular. */
const notNames = new Set(["i", "me", "you", "he", "she", "we", "they", "it", "mom", "dad", "god", "lol", "ok", "hey"]);

interface DateJson {
  text: string;
  dates?: {
    start?: string;
    end?: string;
    unit?: string;
    duration?: { days?: number; months?: number; years?: number };
  };
}

/**
 * The people, places, organisations and days a turn mentions, read with no model by compromise (and
 * compromise-dates, relative to when the turn was said: "yesterday" in a turn of 8 May 2023 is 2023-05-07).
 * Only proper names count (capitalised as written), and only dates that name one day.
 */
export function extractEntities(text: string, saidAt: number): FoundEntity[] {
  const document = nlp(text);
  const found = new Map<string, FoundEntity>();
  const addAll = (terms: { text: string }[], type: FoundEntity["type"]) => {
    for (const term of terms) {
      const surface = cleanName(term.text);
      if (!surface || !/^\p{Lu}/u.test(surface) || notNames.has(surface.toLowerCase())) continue;
      const key = `${type}:${surface.toLowerCase()}`;
      if (!found.has(key)) found.set(key, { name: surface, type, surface });
    }
  };
  addAll(document.people().json() as { text: string }[], "person");
  addAll(document.places().json() as { text: string }[], "place");
  addAll(document.organizations().json() as { text: string }[], "organisation");
  if (mayHoldDate.test(text)) {
    const today = new Date(saidAt).toISOString().slice(0, 10);
    // The date parser costs several times the rest; it reads only the sentences that may hold a date.
    const sentences = (document.sentences().json() as { text: string }[])
      .map((sentence) => sentence.text)
      .filter((sentence) => mayHoldDate.test(sentence));
    const dates = (nlp(sentences.join(" ")) as unknown as { dates(options: object): { json(): DateJson[] } })
      .dates({ today, timezone: "UTC" })
      .json();
    for (const date of dates) {
      const start = date.dates?.start;
      if (!start || date.dates?.unit !== "day") continue;
      const day = start.slice(0, 10);
      const key = `date:${day}`;
      if (!found.has(key)) found.set(key, { name: day, type: "date", surface: cleanName(date.text) || day });
    }
  }
  return [...found.values()];
}

/** A name as written, without the punctuation and possessive compromise leaves on it. */
function cleanName(text: string): string {
  return (
    text
      .trim()
      .replace(/[’']s$/u, "")
      .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
      .replace(/\s+/g, " ")
      // "my sister Ana Silva" is read as one person; the name is the capitalised part.
      .replace(/^(\p{Ll}[\p{L}-]*\s+)+(?=\p{Lu})/u, "")
  );
}
