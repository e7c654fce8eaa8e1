import type { Readable } from "node:stream";
import { readChatGptExport } from "./chatgptExport.ts";
import { readClaudeExport } from "./claudeExport.ts";
import type { ImportSource, SourceEvent } from "./importedConversation.ts";
import { readJsonlTurns } from "./jsonlTurns.ts";
import { readMarkdownTranscript } from "./markdownTranscript.ts";

/** What each source's files are called: a path import takes only these (the app reads no other kind of file). */
export const sourceFileExtensions: Record<ImportSource, string[]> = {
  chatgpt: [".json"],
  claude: [".json"],
  markdown: [".md", ".markdown", ".txt"],
  jsonl: [".jsonl", ".ndjson", ".txt"],
};

/** What a source is called in messages. */
export const sourceNames: Record<ImportSource, string> = {
  chatgpt: "ChatGPT export",
  claude: "Claude export",
  markdown: "Markdown transcript",
  jsonl: "JSONL turns file",
};

/**
 * The events of a source's text. `open` gives the text from its start (a file stream, or a string's pieces); a
 * source that needs two passes (Markdown) calls it twice.
 */
export function readSource(source: ImportSource, open: () => Readable): AsyncGenerator<SourceEvent> {
  switch (source) {
    case "chatgpt":
      return readChatGptExport(open());
    case "claude":
      return readClaudeExport(open());
    case "markdown":
      return readMarkdownTranscript(open);
    case "jsonl":
      return readJsonlTurns(open());
  }
}
