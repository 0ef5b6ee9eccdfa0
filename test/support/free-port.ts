import { createServer, type Server } from 'node:net';

/** A port nothing listens on right now, for a service started as its own process. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0] as number;
}

/**
 * `count` distinct ports nothing listens on right now, for services started side by side. Each stays
 * bound until the set is complete: the kernel may hand a port just released to the next bind to port 0.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held: Server[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const server = createServer();
      held.push(server);
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    }
    return held.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(held.map((server) => new Promise((closed) => server.close(closed))));
  }
}
