/** The parts of an avsc Type the walk reads; avsc resolves named and logical types into these. */
export interface AvroTypeShape {
  typeName: string;
  fields?: ReadonlyArray<{ name: string; type: AvroTypeShape }>;
  types?: readonly AvroTypeShape[];
  itemsType?: AvroTypeShape;
  valuesType?: AvroTypeShape;
  symbols?: readonly string[];
  size?: number;
  underlyingType?: AvroTypeShape;
}

/** The bytes can never be decoded with the schema: a count or length beyond the input, a bad index, a truncation. */
export class AvroBoundsError extends Error {
  override readonly name = 'AvroBoundsError';
}

/** Nesting deeper than this is refused: only a recursive schema allows it, and no message of ours needs it. */
const maxDepth = 64;

class BoundedReader {
  pos = 0;
  /**
   * Items of arrays and maps the input may still claim. Every item costs one unit whatever its size, so
   * items of zero bytes (null) cannot make a decoder allocate more than the input's length in values.
   */
  itemBudget: number;

  constructor(private readonly buf: Uint8Array) {
    this.itemBudget = buf.length;
  }

  get left(): number {
    return this.buf.length - this.pos;
  }

  fail(message: string): never {
    throw new AvroBoundsError(`at byte ${this.pos}: ${message}`);
  }

  skip(bytes: number, what: string) {
    if (bytes > this.left) this.fail(`${what} needs ${bytes} bytes, ${this.left} are left`);
    this.pos += bytes;
  }

  /** A zig-zag varint of at most `maxBytes` bytes (5 for int, 10 for long), as a safe number. */
  varint(maxBytes: number, what: string): number {
    let raw = 0;
    let scale = 1;
    for (let read = 0; read < maxBytes; read++) {
      if (this.pos >= this.buf.length) this.fail(`${what} is cut off`);
      const byte = this.buf[this.pos++] as number;
      raw += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (raw > Number.MAX_SAFE_INTEGER) this.fail(`${what} is out of range`);
        return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      }
      scale *= 128;
    }
    return this.fail(`${what} is longer than ${maxBytes} bytes`);
  }

  length(what: string): number {
    const length = this.varint(10, `${what} length`);
    if (length < 0) this.fail(`${what} length ${length} is negative`);
    if (length > this.left) this.fail(`${what} length ${length} exceeds the ${this.left} bytes left`);
    return length;
  }

  /** One block header of an array or map: its item count, 0 at the end. */
  blockCount(what: string): number {
    let count = this.varint(10, `${what} block count`);
    if (count < 0) {
      count = -count;
      const size = this.varint(10, `${what} block size`);
      if (size < 0 || size > this.left)
        this.fail(`${what} block size ${size} exceeds the ${this.left} bytes left`);
    }
    if (count > this.left || count > this.itemBudget) {
      this.fail(`${what} block claims ${count} items with ${this.left} bytes left`);
    }
    this.itemBudget -= count;
    return count;
  }
}

function walk(type: AvroTypeShape, reader: BoundedReader, depth: number): void {
  if (depth > maxDepth) reader.fail(`nesting deeper than ${maxDepth}`);
  if (type.underlyingType) {
    walk(type.underlyingType, reader, depth);
    return;
  }
  switch (type.typeName) {
    case 'null':
      return;
    case 'boolean': {
      reader.skip(1, 'boolean');
      return;
    }
    case 'int':
      reader.varint(5, 'int');
      return;
    case 'long':
      reader.varint(10, 'long');
      return;
    case 'float':
      reader.skip(4, 'float');
      return;
    case 'double':
      reader.skip(8, 'double');
      return;
    case 'bytes':
    case 'string':
      reader.skip(reader.length(type.typeName), type.typeName);
      return;
    case 'fixed':
      reader.skip(type.size ?? 0, 'fixed');
      return;
    case 'enum': {
      const index = reader.varint(5, 'enum index');
      if (index < 0 || index >= (type.symbols?.length ?? 0))
        reader.fail(`enum index ${index} is not a symbol`);
      return;
    }
    case 'record':
    case 'error':
      for (const field of type.fields ?? []) walk(field.type, reader, depth + 1);
      return;
    case 'array':
    case 'map': {
      const items = (type.typeName === 'map' ? type.valuesType : type.itemsType) as AvroTypeShape;
      for (
        let count = reader.blockCount(type.typeName);
        count > 0;
        count = reader.blockCount(type.typeName)
      ) {
        for (let item = 0; item < count; item++) {
          if (type.typeName === 'map') reader.skip(reader.length('map key'), 'map key');
          walk(items, reader, depth + 1);
        }
      }
      return;
    }
    default: {
      if (!type.typeName.startsWith('union'))
        throw new AvroBoundsError(`unsupported Avro type ${type.typeName}`);
      const branches = type.types ?? [];
      const index = reader.varint(10, 'union index');
      const branch = branches[index];
      if (!branch) reader.fail(`union index ${index} is not one of its ${branches.length} branches`);
      walk(branch, reader, depth + 1);
      return;
    }
  }
}

/**
 * Walks Avro binary data against its writer's schema without building anything, and throws
 * AvroBoundsError where a decoder would run past the input: a length or block count larger than the
 * bytes left, a negative length, an index outside a union or enum, a truncation, trailing bytes. avsc
 * trusts block counts (a map claiming 10^15 entries in 77 bytes loops for ever), so every value is walked
 * here first; the walk costs a fraction of the decode it guards.
 */
export function checkAvroBounds(type: AvroTypeShape, body: Uint8Array): void {
  const reader = new BoundedReader(body);
  walk(type, reader, 0);
  if (reader.left !== 0) reader.fail(`${reader.left} bytes left over after the value`);
}

/** avsc's decode, after the bounds check: what every consumer's decode goes through. */
export function decodeBounded(
  type: AvroTypeShape & { fromBuffer(body: Buffer): unknown },
  body: Buffer,
): unknown {
  checkAvroBounds(type, body);
  return type.fromBuffer(body);
}
