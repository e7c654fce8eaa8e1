import type { FileHandle } from "node:fs/promises";

/**
 * Sequential little-endian reads from an open file through one 64 KiB buffer, never past the file's end: whatever
 * the file claims, memory stays one buffer and a read beyond the end fails (RangeError) instead of growing anything.
 * Reads are synchronous over what is buffered; `need` refills (the only await), so walking a header of hundreds of
 * thousands of small entries costs no promise per entry.
 */
export class BoundedFileReader {
  /** Offset of the next byte to read. */
  position = 0;
  /** Items a caller has accounted for so far (its own limit on how much work one file may cause). */
  items = 0;
  readonly #handle: FileHandle;
  readonly #size: number;
  readonly #buffer = Buffer.alloc(64 * 1024);
  #bufferStart = 0;
  #bufferEnd = 0;

  constructor(handle: FileHandle, size: number) {
    this.#handle = handle;
    this.#size = size;
  }

  /** Bytes left after the current position. */
  get remaining(): number {
    return this.#size - this.position;
  }

  /** Makes the next `length` bytes (at most 64 KiB) readable; fails when the file ends first. */
  async need(length: number): Promise<void> {
    if (length > this.#buffer.length) throw new RangeError("read larger than the buffer");
    if (length > this.remaining) throw new RangeError("the file ends early");
    if (this.position >= this.#bufferStart && this.position + length <= this.#bufferEnd) return;
    const { bytesRead } = await this.#handle.read(this.#buffer, 0, this.#buffer.length, this.position);
    this.#bufferStart = this.position;
    this.#bufferEnd = this.position + bytesRead;
    if (this.position + length > this.#bufferEnd) throw new RangeError("the file ends early");
  }

  /** True when the next `length` bytes are buffered (no `need` required). */
  has(length: number): boolean {
    return this.position >= this.#bufferStart && this.position + length <= this.#bufferEnd;
  }

  /** The next `length` bytes, which `need` made readable; the view is valid until the next refill. */
  bytes(length: number): Buffer {
    if (!this.has(length)) throw new RangeError("read before need");
    const start = this.position - this.#bufferStart;
    this.position += length;
    return this.#buffer.subarray(start, start + length);
  }

  u32(): number {
    return this.bytes(4).readUInt32LE(0);
  }

  u64(): bigint {
    return this.bytes(8).readBigUInt64LE(0);
  }

  skip(length: number): void {
    if (length > this.remaining) throw new RangeError("the file ends early");
    this.position += length;
  }
}
