import type { ModelEntry } from "../../../core/api/index.ts";
import { formatDuration, formatSize } from "../../shell/formatting.ts";
import { useAppState } from "../../store/storeContext.ts";

/** One model of the catalog or the installed list: what it is, and the one action that fits its state. */
export function ModelRow({ model }: { model: ModelEntry }) {
  const download = useAppState((state) => state.downloads[model.id]);
  const busy = useAppState((state) => state.modelBusy === model.id);
  const anyBusy = useAppState((state) => state.modelBusy !== null);
  const offline = useAppState((state) => state.settings?.offline === true);
  const downloadModel = useAppState((state) => state.downloadModel);
  const cancelDownload = useAppState((state) => state.cancelDownload);
  const chooseModel = useAppState((state) => state.chooseModel);

  const details = [
    model.sizeBytes > 0 ? formatSize(model.sizeBytes) : null,
    model.ramTierGb ? `for ${model.ramTierGb} GB of memory` : null,
    model.licence ?? null,
    model.path && !model.ramTierGb ? model.path : null,
  ].filter((detail): detail is string => detail !== null);

  let action;
  if (download) {
    const total = download.totalBytes || model.sizeBytes;
    const percent = total > 0 ? Math.min(100, Math.floor((download.receivedBytes / total) * 100)) : 0;
    const speed = download.bytesPerSecond > 0 ? `${formatSize(download.bytesPerSecond)}/s` : null;
    const eta =
      download.etaSeconds !== null && download.bytesPerSecond > 0
        ? `${formatDuration(download.etaSeconds)} left`
        : null;
    action = (
      <div className="model-progress" data-testid="download-progress">
        <progress max={100} value={percent} aria-label={`Downloading ${model.name}`} />
        <span className="model-progress-text">
          {download.status === "verifying"
            ? "Checking…"
            : [`${percent}%`, `${formatSize(download.receivedBytes)} of ${formatSize(total)}`, speed, eta]
                .filter(Boolean)
                .join(" · ")}
        </span>
        <button type="button" className="button subtle" onClick={() => void cancelDownload(download.downloadId)}>
          Cancel
        </button>
      </div>
    );
  } else if (model.status === "active") {
    action = <span className="model-badge">In use</span>;
  } else if (model.installed) {
    action = (
      <button type="button" className="button" disabled={anyBusy} onClick={() => void chooseModel(model.id)}>
        {busy ? "Loading…" : "Use"}
      </button>
    );
  } else {
    action = (
      <button
        type="button"
        className="button"
        disabled={offline}
        title={offline ? "Offline mode is on (Settings, Privacy)" : undefined}
        onClick={() => void downloadModel(model.id)}
      >
        {model.status === "failed" ? "Retry download" : "Download"}
      </button>
    );
  }

  return (
    <li className="model-row" data-status={download ? "downloading" : model.status} data-model-id={model.id}>
      <div className="model-row-main">
        <div className="model-row-text">
          <div className="model-name">{model.name}</div>
          <div className="model-details">{details.join(" · ")}</div>
        </div>
        {action}
      </div>
      {model.status === "failed" && !download && model.error ? (
        <p className="model-failure" role="status">
          The last download failed: {model.error}
        </p>
      ) : null}
    </li>
  );
}
