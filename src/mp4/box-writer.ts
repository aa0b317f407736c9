/**
 * A big-endian byte writer for ISO BMFF boxes: a box is opened, filled and closed, and its size
 * is written when it closes, so nested boxes need no size computed ahead.
 */

/** Each full box starts with a version byte and 24 bits of flags. */
export interface FullBoxHeader {
  version: number;
  flags: number;
}

export class BoxWriter {
  #bytes: Uint8Array;
  #view: DataView;
  #pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.#bytes = new Uint8Array(initialBytes);
    this.#view = new DataView(this.#bytes.buffer);
  }

  get position(): number {
    return this.#pos;
  }

  /** The bytes written so far (a view, not a copy). */
  get bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#pos);
  }

  #room(n: number): void {
    if (this.#pos + n <= this.#bytes.byteLength) return;
    let size = this.#bytes.byteLength * 2;
    while (size < this.#pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#bytes.subarray(0, this.#pos));
    this.#bytes = next;
    this.#view = new DataView(next.buffer);
  }

  u8(value: number): this {
    this.#room(1);
    this.#view.setUint8(this.#pos, value);
    this.#pos += 1;
    return this;
  }

  u16(value: number): this {
    this.#room(2);
    this.#view.setUint16(this.#pos, value);
    this.#pos += 2;
    return this;
  }

  i16(value: number): this {
    this.#room(2);
    this.#view.setInt16(this.#pos, value);
    this.#pos += 2;
    return this;
  }

  u24(value: number): this {
    return this.u8((value >>> 16) & 0xff).u16(value & 0xffff);
  }

  u32(value: number): this {
    this.#room(4);
    this.#view.setUint32(this.#pos, value);
    this.#pos += 4;
    return this;
  }

  i32(value: number): this {
    this.#room(4);
    this.#view.setInt32(this.#pos, value);
    this.#pos += 4;
    return this;
  }

  u64(value: number): this {
    this.#room(8);
    this.#view.setBigUint64(this.#pos, BigInt(value));
    this.#pos += 8;
    return this;
  }

  i64(value: number): this {
    this.#room(8);
    this.#view.setBigInt64(this.#pos, BigInt(value));
    this.#pos += 8;
    return this;
  }

  zeros(n: number): this {
    this.#room(n);
    this.#bytes.fill(0, this.#pos, this.#pos + n);
    this.#pos += n;
    return this;
  }

  bytesOf(data: Uint8Array): this {
    this.#room(data.byteLength);
    this.#bytes.set(data, this.#pos);
    this.#pos += data.byteLength;
    return this;
  }

  /** Latin-1 text, one byte a character (box types, brands, handler names). */
  ascii(text: string): this {
    this.#room(text.length);
    for (let i = 0; i < text.length; i++) this.#bytes[this.#pos + i] = text.charCodeAt(i) & 0xff;
    this.#pos += text.length;
    return this;
  }

  /** Writes a box of `type` whose body `fill` writes; its size goes in front when `fill` returns. */
  box(type: string, fill: () => void, full?: FullBoxHeader): this {
    const start = this.#pos;
    this.u32(0).ascii(type);
    if (full) this.u8(full.version).u24(full.flags);
    fill();
    this.#view.setUint32(start, this.#pos - start);
    return this;
  }
}
