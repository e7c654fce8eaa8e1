import { statfs } from "node:fs/promises";

/** Free and total bytes of the disk holding a folder. */
export type MeasureDisk = (directory: string) => Promise<{ free: number; total: number }>;

const megabyte = 2 ** 20;

/** The space kept free: 1% of the disk, at least 1 MB and at most 256 MB (an import's batch, an index rebuild). */
export function reserveBytes(totalBytes: number): number {
  return Math.min(256 * megabyte, Math.max(megabyte, totalBytes / 100));
}

const measureWithStatfs: MeasureDisk = async (directory) => {
  const stats = await statfs(directory);
  return { free: stats.bavail * stats.bsize, total: stats.blocks * stats.bsize };
};

/**
 * The free space Engram leaves on its data folder's disk: a write is refused before it starts, as if the disk were
 * full, once less than the reserve is left (search engines call this the flood-stage watermark).
 *
 * Why not let the disk fill: a LanceDB write that runs out of space half way is not always refused whole. LanceDB
 * 0.31 can commit a delete whose deletion file came out empty, and the table then fails to open (tableRepair.ts
 * mends that one case); data and index files are written the same way. Refusing first means LanceDB itself never
 * meets a full disk unless another program fills it between the check and the write.
 */
export class DiskReserve {
  readonly #directory: string;
  readonly #measure: MeasureDisk;

  /** `measure`: how free space is read (tests pass their own). */
  constructor(directory: string, measure: MeasureDisk = measureWithStatfs) {
    this.#directory = directory;
    this.#measure = measure;
  }

  /** Resolves when there is room to write; otherwise throws an ENOSPC error (reported as insufficient_disk). */
  async check(): Promise<void> {
    const { free, total } = await this.#measure(this.#directory);
    const reserve = reserveBytes(total);
    if (free >= reserve) return;
    throw Object.assign(
      new Error(
        `No space left on device: ${mb(free)} free on the disk of ${this.#directory}, and Engram keeps ${mb(reserve)} free so that no write is cut short`,
      ),
      { code: "ENOSPC" },
    );
  }
}

const mb = (bytes: number) => `${(bytes / megabyte).toFixed(1)} MB`;
