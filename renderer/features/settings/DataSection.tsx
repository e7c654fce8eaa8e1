import { useAppState } from "../../store/storeContext.ts";
import { ExportForm } from "./ExportForm.tsx";
import { ImportForm } from "./ImportForm.tsx";
import { TransferStatus } from "./TransferStatus.tsx";
import { WipeMemory } from "./WipeMemory.tsx";

/** Where the data lives and how much there is; export, import, and deleting it all. */
export function DataSection() {
  const stats = useAppState((state) => state.stats);
  if (!stats) return <p className="hint">Loading…</p>;
  return (
    <section className="settings-section" aria-labelledby="data-title">
      <h2 id="data-title">Data</h2>
      {stats.storageNotices && stats.storageNotices.length > 0 && (
        <div className="storage-notices" role="status" data-testid="storage-notices">
          <h3>Mended when Engram started</h3>
          <ul>
            {stats.storageNotices.map((notice) => (
              <li key={notice}>{notice}</li>
            ))}
          </ul>
        </div>
      )}
      <dl className="facts-list">
        <dt>Data folder</dt>
        <dd>
          <code>{stats.dataDir}</code>
        </dd>
        <dt>Conversations</dt>
        <dd>{stats.conversations.toLocaleString()}</dd>
        <dt>Remembered turns</dt>
        <dd>
          {stats.episodes.toLocaleString()} ({stats.archivedEpisodes.toLocaleString()} more in the archive)
        </dd>
        <dt>Summaries</dt>
        <dd>{stats.summaries.toLocaleString()}</dd>
        <dt>Background work waiting</dt>
        <dd>{stats.pendingJobs.toLocaleString()}</dd>
      </dl>
      <TransferStatus />
      <h3>Export</h3>
      <ExportForm />
      <h3>Import</h3>
      <ImportForm />
      <WipeMemory />
    </section>
  );
}
