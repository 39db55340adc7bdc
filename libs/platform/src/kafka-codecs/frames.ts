/** A read position in compressed bytes that throws, naming the codec, when what it needs runs past the end. */
export class FrameCursor {
  at = 0;

  constructor(
    readonly bytes: Buffer,
    private readonly codec: string,
  ) {}

  need(count: number): void {
    if (this.at + count > this.bytes.length) throw new Error(`${this.codec} frame runs past the end`);
  }

  byte(offset = 0): number {
    this.need(offset + 1);
    return this.bytes[this.at + offset]!;
  }

  uint32le(): number {
    this.need(4);
    const value = this.bytes.readUInt32LE(this.at);
    this.at += 4;
    return value;
  }

  skip(count: number): void {
    this.at += count;
    this.need(0);
  }
}

/**
 * Walks concatenated frames of the LZ4 or zstd frame format, which share their framing: a little-endian
 * magic number per frame, and skippable frames (magic 0x184D2A5x, a length, that many bytes) that are
 * passed over. `frame` reads one frame from just after its magic.
 */
export function forEachFrame(compressed: Buffer, codec: string, magic: number, frame: (cursor: FrameCursor) => void): void {
  const cursor = new FrameCursor(compressed, codec);
  while (cursor.at < compressed.length) {
    const found = cursor.uint32le();
    if ((found & 0xfffffff0) === 0x184d2a50) cursor.skip(cursor.uint32le());
    else if (found === magic) frame(cursor);
    else throw new Error(`not ${codec} frame (magic 0x${found.toString(16)})`);
  }
}
