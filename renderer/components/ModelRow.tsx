import type { ModelEntry } from "../../core/api/index.ts";
import { useAppState } from "../store/storeContext.ts";
import { formatSize } from "./formatSize.ts";

/** One model of the catalog or the installed list: what it is, and the one action that fits its state. */
export function ModelRow({ model }: { model: ModelEntry }) {
  const download = useAppState((state) => state.downloads[model.id]);
  const busy = useAppState((state) => state.modelBusy === model.id);
  const anyBusy = useAppState((state) => state.modelBusy !== null);
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
    action = (
      <div className="model-progress">
        <progress max={100} value={percent} aria-label={`Downloading ${model.name}`} />
        <span>{download.status === "verifying" ? "Checking…" : `${percent}%`}</span>
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
      <button type="button" className="button" onClick={() => void downloadModel(model.id)}>
        {model.status === "failed" ? "Retry download" : "Download"}
      </button>
    );
  }

  return (
    <li className="model-row" data-status={download ? "downloading" : model.status}>
      <div className="model-row-text">
        <div className="model-name">{model.name}</div>
        <div className="model-details">{details.join(" · ")}</div>
      </div>
      {action}
    </li>
  );
}
