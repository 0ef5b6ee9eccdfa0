import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';

let processPart = randomBytes(5);
let sequence = randomBytes(2).readUInt16BE(0);

/**
 * A new id for a document of the log, as an ObjectId is made (the time in seconds, five random bytes of
 * this process, a sequence), with its last byte 0: an attempt of a pack takes the pack's id with its
 * place, from 1, in that byte, so the attempt's id alone says which document holds it.
 */
export function newDocumentId(): ObjectId {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(Date.now() / 1000), 0);
  processPart.copy(bytes, 4);
  bytes.writeUInt16BE(sequence, 9);
  sequence = (sequence + 1) & 0xffff;
  // The sequence came round within a second, perhaps: ids from here on differ in the process part.
  if (sequence === 0) processPart = randomBytes(5);
  return new ObjectId(bytes);
}

/** The id of the pack that would hold an attempt of this id, or undefined when the id names a document of its own. */
export function packIdOf(attemptId: ObjectId): ObjectId | undefined {
  const bytes = Buffer.from(attemptId.id);
  if (bytes[11] === 0) return undefined;
  bytes[11] = 0;
  return new ObjectId(bytes);
}

/** The id of the attempt at a place (from 1) of a pack. */
export function attemptIdOf(packId: ObjectId, place: number): ObjectId {
  const bytes = Buffer.from(packId.id);
  bytes[11] = place;
  return new ObjectId(bytes);
}
