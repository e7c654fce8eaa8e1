import type { FileHandle } from "node:fs/promises";
import { BoundedFileReader } from "./boundedFileReader.ts";

/**
 * A bounded walk over a GGUF file's header (format: ggml's docs/gguf.md), run before node-llama-cpp's own parser,
 * which trusts the counts it reads: an 11-byte file claiming billions of entries made it allocate for 19 s and 1.4 GB.
 * Every count and length is checked against the bytes the file really has before anything is skipped, memory stays
 * one small buffer whatever the file says, and the walk gives up past limits no real model comes near. It checks
 * structure only (what the header says it holds is node-llama-cpp's to read).
 */
export async function checkGgufStructure(handle: FileHandle, fileSize: number): Promise<void> {
  const reader = new BoundedFileReader(handle, fileSize);
  await reader.need(8);
  if (reader.bytes(4).toString("latin1") !== "GGUF") throw structureError("no GGUF magic");
  const version = reader.u32();
  // Version 1 used 32-bit counts and is long gone; a big-endian file reads as an absurd version and is refused too.
  if (version !== 2 && version !== 3) throw structureError(`unsupported version ${version}`);
  const tensorCount = await countOf(reader, minTensorInfoBytes, maxTensors);
  const metadataCount = await countOf(reader, minMetadataBytes, maxMetadataEntries);
  if (tensorCount === 0) throw structureError("no tensors (a vocabulary-only file is not a model)");
  let alignment = defaultAlignment;
  for (let index = 0; index < metadataCount; index++) {
    const key = await stringOf(reader, maxKeyBytes);
    const type = await uint32(reader);
    if (key === "general.alignment" && type === valueTypes.uint32) {
      alignment = await uint32(reader);
      if (alignment === 0 || (alignment & (alignment - 1)) !== 0) throw structureError("bad alignment");
    } else {
      await skipValue(reader, type, 0);
    }
  }
  const offsets: number[] = [];
  for (let index = 0; index < tensorCount; index++) {
    await stringOf(reader, maxKeyBytes);
    const dimensions = await uint32(reader);
    if (dimensions < 1 || dimensions > maxTensorDimensions) throw structureError("bad tensor dimensions");
    reader.skip(8 * dimensions);
    await uint32(reader); // the tensor's ggml type
    offsets.push(await uint64(reader));
  }
  const dataStart = Math.ceil(reader.position / alignment) * alignment;
  if (dataStart > maxHeaderBytes) throw structureError("header too large");
  const dataBytes = fileSize - dataStart;
  // Every tensor must begin inside the file: a truncated download or copy fails here.
  for (const offset of offsets) {
    if (offset % alignment !== 0 || offset >= dataBytes) throw structureError("tensor data missing");
  }
}

const valueTypes = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

const fixedSizes = new Map<number, number>([
  [valueTypes.uint8, 1],
  [valueTypes.int8, 1],
  [valueTypes.bool, 1],
  [valueTypes.uint16, 2],
  [valueTypes.int16, 2],
  [valueTypes.uint32, 4],
  [valueTypes.int32, 4],
  [valueTypes.float32, 4],
  [valueTypes.uint64, 8],
  [valueTypes.int64, 8],
  [valueTypes.float64, 8],
]);

const defaultAlignment = 32;
const maxTensorDimensions = 4; // GGML_MAX_DIMS
/** Smallest encodings: a tensor info with a one-byte name and one dimension; a key-value pair with a one-byte value. */
const minTensorInfoBytes = 8 + 1 + 4 + 8 + 4 + 8;
const minMetadataBytes = 8 + 1 + 4 + 1;
/** Limits far above any real model (the largest have a few thousand tensors and vocabularies of ~260k tokens). */
const maxTensors = 1_000_000;
const maxMetadataEntries = 100_000;
const maxArrayItems = 16_000_000;
const maxItemsWalked = 32_000_000;
const maxKeyBytes = 65_535;
const maxHeaderBytes = 512 * 1024 * 1024;
const maxArrayDepth = 4;

async function skipValue(reader: BoundedFileReader, type: number, depth: number): Promise<void> {
  const fixed = fixedSizes.get(type);
  if (fixed !== undefined) return reader.skip(fixed);
  if (type === valueTypes.string) return void (await stringOf(reader, Number.MAX_SAFE_INTEGER));
  if (type !== valueTypes.array || depth >= maxArrayDepth) throw structureError(`bad value type ${type}`);
  const itemType = await uint32(reader);
  const itemSize = fixedSizes.get(itemType);
  const count = await countOf(reader, itemSize ?? 8, maxArrayItems);
  if (itemSize !== undefined) return reader.skip(count * itemSize);
  if (itemType === valueTypes.string) {
    // A vocabulary: hundreds of thousands of strings, so only their lengths are read, without a call per string.
    for (let index = 0; index < count; index++) {
      if (!reader.has(8)) await reader.need(8);
      const length = reader.u64();
      if (length > BigInt(reader.remaining)) throw structureError("the file ends early");
      reader.skip(Number(length));
    }
    return;
  }
  for (let index = 0; index < count; index++) await skipValue(reader, itemType, depth + 1);
}

/** Why a file is not a usable GGUF, for the log (the user gets one message for every unusable file). */
function structureError(reason: string): Error {
  return new Error(`not a usable GGUF file: ${reason}`);
}

/** Awaits only when the buffer must be refilled, so a walk over many small entries stays cheap. */
async function uint32(reader: BoundedFileReader): Promise<number> {
  if (!reader.has(4)) await reader.need(4);
  return reader.u32();
}

async function uint64(reader: BoundedFileReader): Promise<number> {
  if (!reader.has(8)) await reader.need(8);
  const value = reader.u64();
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw structureError("a value out of range");
  return Number(value);
}

/** A count of items of at least `itemBytes` each, refused when the rest of the file cannot hold that many. */
async function countOf(reader: BoundedFileReader, itemBytes: number, limit: number): Promise<number> {
  const count = await uint64(reader);
  if (count > limit || count * itemBytes > reader.remaining) {
    throw structureError("a count larger than the file can hold");
  }
  reader.items += count;
  if (reader.items > maxItemsWalked) throw structureError("too many entries");
  return count;
}

/** Reads a GGUF string (u64 length, then bytes); answers its text when short (keys), otherwise skips it. */
async function stringOf(reader: BoundedFileReader, maxBytes: number): Promise<string> {
  const length = await uint64(reader);
  if (length > maxBytes) throw structureError("a string too long");
  if (length > 256) {
    reader.skip(length);
    return "";
  }
  if (!reader.has(length)) await reader.need(length);
  return reader.bytes(length).toString("utf8");
}
