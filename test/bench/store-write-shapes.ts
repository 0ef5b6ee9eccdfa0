import { parseArgs } from 'node:util';
import { AttemptLogRepository, toStored } from '@wms-webhooks/delivery';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { type Db, MongoClient, ObjectId } from 'mongodb';
import { sampleAttemptLog } from '../support/sample-values';
import { cpuSecondsOf } from './process-sampler';

/**
 * `npm run bench:store-shapes -- [--attempts N] [--batch N] [--group N] [--store-pid PID] [--rounds N]`:
 * what one write of the attempt log costs the store in four shapes, each given the same successes, a
 * batch of them a write: the log's own (a pack per webhook, attempt-packs.ts), one document per attempt
 * (the log before packs), `group` attempts per document with their fields, and `group` attempts per
 * document as one JSON string. With `--store-pid`
 * (a store on this machine) it reports the store's own CPU per attempt, read from /proc. The shapes run
 * in turn, `rounds` times, so a noisy machine shows in the spread. See docs/performance.md.
 */
const { values } = parseArgs({
  options: {
    attempts: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '1400' },
    group: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
    'store-pid': { type: 'string' },
  },
});
const attempts = Number(values.attempts);
const batch = Number(values.batch);
const group = Number(values.group);
const rounds = Number(values.rounds);
const storePid = values['store-pid'];

/** The store process's CPU time so far, in ms; undefined when it is not on this machine. */
const storeCpuMs = () => (storePid ? cpuSecondsOf(Number(storePid)) * 1000 : undefined);

/** Makes a shape's writer for one database: given a batch of attempts, writes them. */
type Shape = (db: Db) => (logs: ReturnType<typeof sampleAttemptLog>[]) => Promise<unknown>;

const groupsOf = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / group) }, (_, index) =>
    items.slice(index * group, (index + 1) * group),
  );

const shapes: Record<string, Shape> = {
  'the log as it stores successes: a pack per webhook and write': (db) => {
    const repository = new AttemptLogRepository(db, { retentionMs: 86_400_000 });
    return (logs) => repository.insertMany(logs);
  },
  'one document per attempt': (db) => (logs) =>
    db.collection('shapes').insertMany(logs.map(toStored), { ordered: false }),
  [`${group} attempts per document, as fields`]: (db) => (logs) =>
    db.collection('shapes').insertMany(
      groupsOf(logs.map(toStored)).map((attemptsOfGroup) => ({
        _id: new ObjectId(),
        attempts: attemptsOfGroup,
      })),
      { ordered: false },
    ),
  [`${group} attempts per document, as one string`]: (db) => (logs) =>
    db.collection('shapes').insertMany(
      groupsOf(logs.map(toStored)).map((attemptsOfGroup) => ({
        _id: new ObjectId(),
        attempts: JSON.stringify(attemptsOfGroup),
      })),
      { ordered: false },
    ),
};

const endpoints = await resolveEndpoints({ start: true, log: (line) => console.log(line) });
const client = await MongoClient.connect(endpoints.mongodbUri);
console.log(`${attempts} attempts a shape, ${batch} a write, into ${endpoints.mongodbUri}`);
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [name, writerOf] of Object.entries(shapes)) {
      const db = client.db(`store_shapes_${Date.now()}`);
      const write = writerOf(db);
      const cpuBefore = storeCpuMs();
      const started = performance.now();
      for (let written = 0; written < attempts; written += batch) {
        const count = Math.min(batch, attempts - written);
        await write(
          Array.from({ length: count }, (_, index) =>
            sampleAttemptLog({ webhookId: `webhook-${index % 100}` }),
          ),
        );
      }
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = storeCpuMs();
      const cpu =
        cpuBefore === undefined || cpuAfter === undefined
          ? ''
          : `, the store's CPU ${(((cpuAfter - cpuBefore) * 1000) / attempts).toFixed(0)} µs an attempt`;
      console.log(`round ${round}, ${name}: ${(attempts / seconds).toFixed(0)} attempts/s${cpu}`);
      await db.dropDatabase();
    }
  }
} finally {
  await client.close();
}
