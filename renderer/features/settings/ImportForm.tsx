import { useId, useRef, useState, type FormEvent } from "react";
import type { ImportSource } from "../../../core/api/index.ts";
import { useAppState } from "../../store/storeContext.ts";
import type { ImportFormat } from "./dataSlice.ts";

const formats: { value: ImportFormat; label: string; accept: string }[] = [
  { value: "engram", label: "Engram export (JSON)", accept: ".json,application/json" },
  { value: "chatgpt", label: "ChatGPT data export (conversations.json)", accept: ".json,application/json" },
  { value: "claude", label: "Claude data export (conversations.json)", accept: ".json,application/json" },
  { value: "markdown", label: "Markdown transcript", accept: ".md,.markdown,.txt,text/markdown,text/plain" },
  { value: "jsonl", label: "JSONL turns", accept: ".jsonl,.ndjson,.txt" },
];

/** A file the page can send inline over the headless server (its request limit); larger ones go by path. */
const headlessInlineLimit = 8 * 1024 * 1024 - 4096;

/**
 * Import: choose the format, then a file (the system's file dialog, in the desktop app and in a browser alike). A
 * large export of another assistant can also be read by the engine from its path on this computer.
 */
export function ImportForm() {
  const desktop = useAppState((state) => state.desktop);
  const busy = useAppState((state) => state.transfer !== null);
  const importContent = useAppState((state) => state.importContent);
  const importPath = useAppState((state) => state.importPath);
  const [format, setFormat] = useState<ImportFormat>("engram");
  const [path, setPath] = useState("");
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const formatId = useId();
  const accept = formats.find((entry) => entry.value === format)?.accept;

  const chooseFile = async (chosen: File | undefined) => {
    setTooLarge(null);
    if (!chosen) return;
    if (!desktop && chosen.size > headlessInlineLimit) {
      setTooLarge(
        format === "engram"
          ? `${chosen.name} is too large to send from the browser; import it in the desktop app.`
          : `${chosen.name} is too large to send from the browser: type its path below and Engram reads it itself.`,
      );
      return;
    }
    await importContent(format, await chosen.text(), chosen.name);
    if (file.current) file.current.value = "";
  };

  const submitPath = async (event: FormEvent) => {
    event.preventDefault();
    if (format !== "engram" && path.trim() && (await importPath(format as ImportSource, path.trim()))) setPath("");
  };

  return (
    <div className="stacked-form">
      <label className="field" htmlFor={formatId}>
        <span>What to import</span>
        <select id={formatId} value={format} onChange={(event) => setFormat(event.target.value as ImportFormat)}>
          {formats.map((entry) => (
            <option key={entry.value} value={entry.value}>
              {entry.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>File</span>
        <input
          ref={file}
          type="file"
          accept={accept}
          disabled={busy}
          onChange={(event) => void chooseFile(event.target.files?.[0])}
        />
      </label>
      {tooLarge ? (
        <p className="error-text" role="alert">
          {tooLarge}
        </p>
      ) : null}
      {format !== "engram" && !desktop ? (
        <form className="inline-form" onSubmit={(event) => void submitPath(event)}>
          <input
            type="text"
            aria-label="Path of the export file on this computer"
            placeholder="/home/you/Downloads/conversations.json"
            spellCheck={false}
            value={path}
            onChange={(event) => setPath(event.target.value)}
          />
          <button type="submit" className="button" disabled={busy || !path.trim()}>
            Import from this path
          </button>
        </form>
      ) : null}
      <p className="hint">
        Importing twice is safe: conversations already here are left as they were. A malformed file is refused whole,
        and nothing changes.
      </p>
    </div>
  );
}
