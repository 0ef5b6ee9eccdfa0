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
    const first = this.buf[this.pos];
    if (first !== undefined && first < 0x80) {
      this.pos += 1;
      return first % 2 === 0 ? first / 2 : -(first + 1) / 2;
    }
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

type Step = (reader: BoundedReader, depth: number) => void;

/** One step per schema node, built once per type: the walk then costs no dispatch on type names. */
const compiled = new WeakMap<AvroTypeShape, Step>();

function stepFor(type: AvroTypeShape): Step {
  const known = compiled.get(type);
  if (known) return known;
  // Registered before its children, so a recursive schema refers to itself instead of recursing here.
  let step: Step = () => {};
  compiled.set(type, (reader, depth) => step(reader, depth));
  step = buildStep(type);
  compiled.set(type, step);
  return step;
}

function buildStep(type: AvroTypeShape): Step {
  if (type.underlyingType) return stepFor(type.underlyingType);
  switch (type.typeName) {
    case 'null':
      return () => {};
    case 'boolean':
      return (reader) => reader.skip(1, 'boolean');
    case 'int':
      return (reader) => void reader.varint(5, 'int');
    case 'long':
      return (reader) => void reader.varint(10, 'long');
    case 'float':
      return (reader) => reader.skip(4, 'float');
    case 'double':
      return (reader) => reader.skip(8, 'double');
    case 'bytes':
    case 'string': {
      const what = type.typeName;
      return (reader) => reader.skip(reader.length(what), what);
    }
    case 'fixed': {
      const size = type.size ?? 0;
      return (reader) => reader.skip(size, 'fixed');
    }
    case 'enum': {
      const symbols = type.symbols?.length ?? 0;
      return (reader) => {
        const index = reader.varint(5, 'enum index');
        if (index < 0 || index >= symbols) reader.fail(`enum index ${index} is not a symbol`);
      };
    }
    case 'record':
    case 'error': {
      const fields = (type.fields ?? []).map((field) => stepFor(field.type));
      return (reader, depth) => {
        if (depth > maxDepth) reader.fail(`nesting deeper than ${maxDepth}`);
        for (const field of fields) field(reader, depth + 1);
      };
    }
    case 'array':
    case 'map': {
      const what = type.typeName;
      const isMap = what === 'map';
      const item = stepFor((isMap ? type.valuesType : type.itemsType) as AvroTypeShape);
      return (reader, depth) => {
        if (depth > maxDepth) reader.fail(`nesting deeper than ${maxDepth}`);
        for (let count = reader.blockCount(what); count > 0; count = reader.blockCount(what)) {
          for (let index = 0; index < count; index++) {
            if (isMap) reader.skip(reader.length('map key'), 'map key');
            item(reader, depth + 1);
          }
        }
      };
    }
    default: {
      if (!type.typeName.startsWith('union'))
        throw new AvroBoundsError(`unsupported Avro type ${type.typeName}`);
      const branches = (type.types ?? []).map(stepFor);
      return (reader, depth) => {
        if (depth > maxDepth) reader.fail(`nesting deeper than ${maxDepth}`);
        const index = reader.varint(10, 'union index');
        const branch = branches[index];
        if (!branch) return reader.fail(`union index ${index} is not one of its ${branches.length} branches`);
        branch(reader, depth + 1);
      };
    }
  }
}

/**
 * Walks Avro binary data against its writer's schema without building anything, and throws
 * AvroBoundsError where a decoder would run past the input: a length or block count larger than the
 * bytes left, a negative length, an index outside a union or enum, a truncation, trailing bytes. avsc
 * trusts block counts (a map claiming 10^15 entries in 77 bytes loops for ever), so every value is walked
 * here first (its cost per record is in docs/faults.md).
 */
export function checkAvroBounds(type: AvroTypeShape, body: Uint8Array): void {
  const reader = new BoundedReader(body);
  stepFor(type)(reader, 0);
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
