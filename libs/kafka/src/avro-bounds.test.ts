import { Worker } from 'node:worker_threads';
import { readSchema } from '@wms-webhooks/schemas';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvroBoundsError, checkAvroBounds } from './avro-bounds';

/** A zig-zag varint, as Avro writes ints and longs. */
function varint(value: bigint): number[] {
  let raw = value >= 0n ? value << 1n : (-value << 1n) - 1n;
  const bytes: number[] = [];
  do {
    const low = Number(raw & 0x7fn);
    raw >>= 7n;
    bytes.push(raw > 0n ? low | 0x80 : low);
  } while (raw > 0n);
  return bytes;
}

const str = (text: string) => [...varint(BigInt(text.length)), ...Buffer.from(text)];

/** A WmsEvent body up to its attributes map, as a producer would write it. */
const eventHead = [
  ...str('6f1c1f52-3d0e-4b0f-9a57-3c5f2d1e8a10'),
  ...str('order.picked'),
  ...varint(1_795_000_000_000n),
  ...varint(42n),
  0, // warehouseId: the null branch
  ...str('ORD-1'),
];

/** Seeded, so a failing record can be found again from the test's output. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const eventSchema = readSchema('wms-event.avsc');
const eventType = avro.Type.forSchema(eventSchema as avro.Schema);
const validEvent = eventType.toBuffer({
  eventId: '6f1c1f52-3d0e-4b0f-9a57-3c5f2d1e8a10',
  eventType: 'order.picked',
  occurredAt: 1_795_000_000_000,
  goodsOwnerId: 42,
  warehouseId: 'WH-1',
  entityId: 'ORD-1',
  attributes: { transporter: 'DHL', orderType: 'B2C' },
  payload: '{"orderId":"ORD-1"}',
});

const crafted: Array<[string, number[]]> = [
  ['a map claiming 10^15 entries in one block', [...eventHead, ...varint(1_000_000_000_000_000n), 0, 0]],
  [
    'a map block with a negative count and a size past the end',
    [...eventHead, ...varint(-5n), ...varint(1_000_000n)],
  ],
  ['a map key with a negative length', [...eventHead, ...varint(1n), ...varint(-3n), 0]],
  ['a payload string claiming 2^40 bytes', [...eventHead, 0, ...varint(2n ** 40n)]],
  ['a long of eleven bytes', [...str('x'), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
  ['a union index past its branches', [...eventHead.slice(0, -7), ...varint(7n)]],
  [
    'map blocks that each claim as many entries as bytes remain',
    [...eventHead, ...Array(60).fill(varint(50n)).flat()],
  ],
];

describe('checkAvroBounds', () => {
  it('passes every field of a well-formed event', () => {
    expect(() => checkAvroBounds(eventType as never, validEvent)).not.toThrow();
  });

  it.each(crafted)('refuses %s before decoding', (_name, bytes) => {
    expect(() => checkAvroBounds(eventType as never, Buffer.from(bytes))).toThrow(AvroBoundsError);
  });

  it('refuses an array of nulls claiming more items than the input has bytes', () => {
    const nulls = avro.Type.forSchema({ type: 'array', items: 'null' });
    expect(() => checkAvroBounds(nulls as never, Buffer.from([...varint(1_000_000n), 0]))).toThrow(
      /claims 1000000 items/,
    );
  });

  it('follows a recursive schema, and refuses nesting deeper than 64', () => {
    const list = avro.Type.forSchema({
      type: 'record',
      name: 'Node',
      fields: [{ name: 'next', type: ['null', 'Node'] }],
    });
    const nested = (depth: number) => Buffer.from([...Array(depth).fill(2), 0]);
    expect(() => checkAvroBounds(list as never, nested(3))).not.toThrow();
    expect(list.fromBuffer(nested(3))).toEqual({ next: { next: { next: { next: null } } } });
    expect(() => checkAvroBounds(list as never, nested(100))).toThrow(/nesting deeper than 64/);
  });

  it('refuses trailing bytes and every truncation of a well-formed event', () => {
    expect(() => checkAvroBounds(eventType as never, Buffer.concat([validEvent, Buffer.from([0])]))).toThrow(
      /left over/,
    );
    for (let length = 0; length < validEvent.length; length++) {
      expect(() => checkAvroBounds(eventType as never, validEvent.subarray(0, length))).toThrow(
        AvroBoundsError,
      );
    }
  });
});

describe('decoding hostile records', () => {
  const deadlineMs = 2_000;
  let worker: Worker;

  beforeAll(() => {
    worker = new Worker(new URL('./fuzz/decode-worker.ts', import.meta.url), {
      workerData: { schema: eventSchema },
      execArgv: ['--import', 'tsx'],
    });
  });
  afterAll(() => worker.terminate());

  /** The decode runs in a worker, so a record that makes it spin is caught by the deadline, not the test's hang. */
  const decode = (body: Uint8Array) =>
    new Promise<{ outcome: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${deadlineMs} ms`)), deadlineMs);
      worker.once('message', (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      worker.postMessage(body);
    });

  const corpus: Array<[string, Uint8Array]> = [
    ...crafted.map(([name, bytes]): [string, Uint8Array] => [name, Uint8Array.from(bytes)]),
    ...(() => {
      const next = random(20_261_202);
      const records: Array<[string, Uint8Array]> = [];
      for (let index = 0; index < 300; index++) {
        const noise = Uint8Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256));
        records.push([`random record ${index}`, noise]);
        const mutated = Uint8Array.from(validEvent);
        for (let flips = 0; flips < 3; flips++) {
          mutated[Math.floor(next() * mutated.length)] = Math.floor(next() * 256);
        }
        records.push([`mutated event ${index}`, mutated]);
        records.push([`event with noise after its head ${index}`, Uint8Array.from([...eventHead, ...noise])]);
      }
      return records;
    })(),
  ];

  it(`answers every one of ${corpus.length} records within ${deadlineMs} ms, decoded or refused`, async () => {
    const outcomes = new Map<string, number>();
    for (const [name, body] of corpus) {
      const answer = await decode(body).catch((error: Error) => {
        throw new Error(`${name} (${Buffer.from(body).toString('hex')}): ${error.message}`);
      });
      outcomes.set(answer.outcome, (outcomes.get(answer.outcome) ?? 0) + 1);
    }
    expect(outcomes.get('refused')).toBeGreaterThan(0);
    expect((outcomes.get('decoded') ?? 0) + (outcomes.get('refused') ?? 0)).toBe(corpus.length);
  }, 120_000);
});
