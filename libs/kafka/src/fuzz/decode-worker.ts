import { parentPort, workerData } from 'node:worker_threads';
import avro from 'avsc';
import { decodeBounded } from '../avro-bounds';

/** Decodes each record it is sent with the schema it was started with, and answers how it ended. */
const type = avro.Type.forSchema(workerData.schema);
parentPort?.on('message', (body: Uint8Array) => {
  try {
    decodeBounded(type, Buffer.from(body));
    parentPort?.postMessage({ outcome: 'decoded' });
  } catch (error) {
    parentPort?.postMessage({ outcome: 'refused', error: (error as Error).message });
  }
});
