import * as chrono from "chrono-node";
import nlp from "compromise";
import type { EntityRow } from "../../store/schema.ts";

/** An entity a turn mentions, as the NLP library read it. */
export interface FoundEntity {
  /** The name it is stored under (a date: its day, YYYY-MM-DD). */
  name: string;
  type: EntityRow["type"];
  /** The words the turn used. */
  surface: string;
}

/** A date expression that spans more than a day ("next week": chrono gives it a day, its first). */
const longerThanADay = /\b(week|weekend|month|year|decade|century)s?\b/i;

/** Names compromise sometimes tags as people or places that name no one in particular. */
const notNames = new Set(["i", "me", "you", "he", "she", "we", "they", "it", "mom", "dad", "god", "lol", "ok", "hey"]);

/**
 * The people, places, organisations and days a turn mentions, read with no model: names by compromise, days by
 * chrono, relative to when the turn was said ("yesterday" in a turn of 8 May 2023 is 2023-05-07). Only proper names
 * count (capitalised as written), and only dates that name one day. (compromise-dates read the days before: 200 turns
 * a second with a date in them, and its plugin halved the speed of compromise on every turn; chrono reads 60,000.)
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
  for (const date of chrono.parse(text, { instant: new Date(saidAt), timezone: 0 })) {
    const day = date.start;
    if (date.end || !(day.isCertain("day") || day.isCertain("weekday")) || longerThanADay.test(date.text)) continue;
    const name = [day.get("year"), day.get("month"), day.get("day")]
      .map((part, index) => String(part ?? 0).padStart(index === 0 ? 4 : 2, "0"))
      .join("-");
    const key = `date:${name}`;
    if (!found.has(key)) found.set(key, { name, type: "date", surface: cleanName(date.text) || name });
  }
  return [...found.values()];
}

/**
 * Longest stretch of a turn read in one go. compromise reads about a character a microsecond, on the one thread that
 * also answers the user, so a pasted document is read a piece at a time with a pause between pieces.
 */
const maxPieceChars = 2000;

/**
 * extractEntities for a turn of any length: read in pieces of whole paragraphs or sentences (a piece ends where one
 * does, or at maxPieceChars), calling `between` after each piece but the last, so the caller can let other work in.
 * An entity named in several pieces is listed once.
 */
export async function extractEntitiesInPieces(
  text: string,
  saidAt: number,
  between: () => Promise<void>,
): Promise<FoundEntity[]> {
  const found = new Map<string, FoundEntity>();
  const pieces = textPieces(text);
  for (const [index, piece] of pieces.entries()) {
    for (const entity of extractEntities(piece, saidAt)) {
      const key = `${entity.type}:${entity.name.toLowerCase()}`;
      if (!found.has(key)) found.set(key, entity);
    }
    if (index < pieces.length - 1) await between();
  }
  return [...found.values()];
}

/** The text cut after paragraph or sentence ends into pieces of at most maxPieceChars (a longer run is cut at a space). */
function textPieces(text: string): string[] {
  if (text.length <= maxPieceChars) return [text];
  const pieces: string[] = [];
  let current = "";
  for (const sentence of text.split(/(?<=[.!?…]\s+|\n)/u)) {
    for (let rest = sentence; rest.length > 0;) {
      if (current.length + rest.length <= maxPieceChars) {
        current += rest;
        break;
      }
      if (current.length > 0) {
        pieces.push(current);
        current = "";
        continue;
      }
      const space = rest.lastIndexOf(" ", maxPieceChars);
      const cut = space > maxPieceChars / 2 ? space + 1 : maxPieceChars;
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
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
