import { downloadText } from "../../shell/downloadText.ts";
import { useAppState } from "../../store/storeContext.ts";

/** All memory as Engram JSON (complete, re-importable) or Markdown (to read), saved as a file. */
export function ExportForm() {
  const busy = useAppState((state) => state.transfer !== null);
  const exportMemory = useAppState((state) => state.exportMemory);

  const save = async (format: "json" | "markdown") => {
    const content = await exportMemory(format);
    if (content === null) return;
    const day = new Date().toISOString().slice(0, 10);
    if (format === "json") downloadText(`engram-memory-${day}.json`, content, "application/json");
    else downloadText(`engram-memory-${day}.md`, content, "text/markdown");
  };

  return (
    <div className="form-actions">
      <button type="button" className="button" disabled={busy} onClick={() => void save("json")}>
        Export all memory (Engram JSON)
      </button>
      <button type="button" className="button" disabled={busy} onClick={() => void save("markdown")}>
        Export as Markdown
      </button>
    </div>
  );
}
