import { useAppState } from "../../store/storeContext.ts";

/** The export or import running now with its progress, then what it did or why it failed. */
export function TransferStatus() {
  const transfer = useAppState((state) => state.transfer);
  const result = useAppState((state) => state.transferResult);
  const error = useAppState((state) => state.transferError);
  if (transfer) {
    const progress = transfer.progress;
    const percent = progress && progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : null;
    return (
      <div className="transfer-progress" role="status" data-testid="transfer-progress">
        {percent === null ? (
          <progress aria-label={transfer.label} />
        ) : (
          <progress max={100} value={percent} aria-label={transfer.label} />
        )}
        <span>
          {transfer.label}
          {progress && progress.kind === "import"
            ? ` ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} turns`
            : ""}
          {progress && progress.kind === "import.read" && percent !== null ? ` ${percent}% read` : ""}
        </span>
      </div>
    );
  }
  if (error) {
    return (
      <p className="error-text" role="alert">
        {error}
      </p>
    );
  }
  return result ? (
    <p className="transfer-result" role="status">
      {result}
    </p>
  ) : null;
}
