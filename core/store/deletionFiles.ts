import {
  Field,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  RecordBatchReader,
  Schema,
  Struct,
  Uint32,
} from "apache-arrow";

/**
 * LanceDB's deletion files, read and written by Engram only to repair a table (see tableRepair.ts).
 *
 * A Lance table marks the rows a delete or update removed from a fragment (one of its data files) in a deletion file
 * `_deletions/<fragment>-<read version>-<random id>.<arrow|bin>`: an Arrow IPC file with one batch of one
 * non-nullable uint32 column `row_id` (the row offsets inside the fragment), or, for many rows, a Roaring bitmap in
 * its portable serialisation. The format is Lance's (lance-table `io/deletion.rs`, 8.0.0, the version LanceDB 0.31
 * holds); the test of the repair reads what this module writes back through LanceDB itself, so a change of format
 * in an upgrade fails there first.
 */
export interface DeletionFileName {
  fragment: number;
  readVersion: number;
  kind: "arrow" | "bin";
}

const namePattern = /^(\d+)-(\d+)-(\d+)\.(arrow|bin)$/;

/** What a deletion file's name says, or null for a name that is not one (a temporary file, say). */
export function parseDeletionFileName(name: string): DeletionFileName | null {
  const match = namePattern.exec(name);
  if (!match) return null;
  return { fragment: Number(match[1]), readVersion: Number(match[2]), kind: match[4] as "arrow" | "bin" };
}

/** Whether a deletion file's bytes are whole: an Arrow file that reads to its end, or a bitmap of its full length. */
export function isWholeDeletionFile(kind: "arrow" | "bin", bytes: Uint8Array): boolean {
  if (kind === "bin") return roaringLength(bytes) === bytes.length;
  try {
    const reader = RecordBatchReader.from(bytes);
    let batches = 0;
    for (const batch of reader) {
      if (!batch.getChild("row_id")) return false;
      batches += 1;
    }
    return batches === 1;
  } catch {
    // apache-arrow throws a plain Error for any damage (no magic, a footer past the end, a cut batch): that is the
    // answer asked for, not a fault to report.
    return false;
  }
}

/** The bytes of a deletion file that marks `offsets` (row offsets in the fragment) as removed. */
export function encodeDeletionFile(kind: "arrow" | "bin", offsets: Iterable<number>): Uint8Array {
  const sorted = Uint32Array.from(new Set(offsets)).sort();
  return kind === "arrow" ? encodeArrow(sorted) : encodeRoaring(sorted);
}

function encodeArrow(offsets: Uint32Array): Uint8Array {
  const schema = new Schema([new Field("row_id", new Uint32(), false)]);
  const column = makeData({ type: new Uint32(), length: offsets.length, nullCount: 0, data: offsets });
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: offsets.length, nullCount: 0, children: [column] }),
  );
  // Lance reads exactly one batch, even an empty one.
  return RecordBatchFileWriter.writeAll([batch]).toUint8Array(true);
}

/** Roaring's portable format without run containers (cookie 12346), which every Roaring reader accepts. */
const cookieNoRuns = 12346;
const cookieRuns = 12347;
const noOffsetThreshold = 4;
const arrayContainerMax = 4096;
const bitmapContainerBytes = 8192;

function encodeRoaring(offsets: Uint32Array): Uint8Array {
  const containers = new Map<number, number[]>();
  for (const offset of offsets) {
    const key = offset >>> 16;
    const low = containers.get(key);
    if (low) low.push(offset & 0xffff);
    else containers.set(key, [offset & 0xffff]);
  }
  const keys = [...containers.keys()].sort((a, b) => a - b);
  const sizes = keys.map((key) => {
    const count = containers.get(key)!.length;
    return count <= arrayContainerMax ? 2 * count : bitmapContainerBytes;
  });
  const headerBytes = 8 + 8 * keys.length;
  const out = Buffer.alloc(headerBytes + sizes.reduce((sum, size) => sum + size, 0));
  out.writeUInt32LE(cookieNoRuns, 0);
  out.writeUInt32LE(keys.length, 4);
  let position = headerBytes;
  keys.forEach((key, index) => {
    const values = containers.get(key)!;
    out.writeUInt16LE(key, 8 + 4 * index);
    out.writeUInt16LE(values.length - 1, 8 + 4 * index + 2);
    out.writeUInt32LE(position, 8 + 4 * keys.length + 4 * index);
    if (values.length <= arrayContainerMax) {
      values.forEach((value, at) => out.writeUInt16LE(value, position + 2 * at));
    } else {
      for (const value of values) out[position + (value >>> 3)]! |= 1 << (value & 7);
    }
    position += sizes[index]!;
  });
  return out;
}

/** The length a portable Roaring bitmap's header says it has, or null when even its header is cut or wrong. */
function roaringLength(bytes: Uint8Array): number | null {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.length < 8) return null;
  const cookie = view.readUInt32LE(0);
  let count: number;
  let runFlags: Uint8Array | null = null;
  let position: number;
  if (cookie === cookieNoRuns) {
    count = view.readUInt32LE(4);
    position = 8;
  } else if ((cookie & 0xffff) === cookieRuns) {
    count = (cookie >>> 16) + 1;
    const flagBytes = Math.ceil(count / 8);
    if (view.length < 4 + flagBytes) return null;
    runFlags = view.subarray(4, 4 + flagBytes);
    position = 4 + flagBytes;
  } else {
    return null;
  }
  const descriptions = position;
  position += 4 * count;
  if (runFlags === null || count >= noOffsetThreshold) position += 4 * count;
  if (view.length < position) return null;
  for (let index = 0; index < count; index++) {
    const isRun = runFlags !== null && (runFlags[index >>> 3]! >>> (index & 7)) & 1;
    if (isRun) {
      if (view.length < position + 2) return null;
      position += 2 + 4 * view.readUInt16LE(position);
    } else {
      const cardinality = view.readUInt16LE(descriptions + 4 * index + 2) + 1;
      position += cardinality <= arrayContainerMax ? 2 * cardinality : bitmapContainerBytes;
    }
  }
  return position;
}
