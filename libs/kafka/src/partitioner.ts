import { type MessageToProduce, murmur2 } from '@platformatic/kafka';

const positive = 0x7fffffff;

function keyBytes(key: string | Buffer): Buffer {
  return typeof key === 'string' ? Buffer.from(key) : key;
}

/** The partition the Java client's default partitioner gives a key: murmur2, made positive, modulo the count. */
export function partitionFor(key: string | Buffer, partitions: number): number {
  return (murmur2(keyBytes(key)) & positive) % partitions;
}

/**
 * For the producer: keyed records go where the Java client puts them (the client takes the result modulo
 * the partition count); records without a key are spread in turn.
 */
export function javaCompatiblePartitioner() {
  let next = 0;
  return (_message: MessageToProduce, key: Buffer | undefined) => (key ? murmur2(key) & positive : next++);
}
