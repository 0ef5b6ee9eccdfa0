import { type CommandStartedEvent, type Db, MongoClient } from 'mongodb';
import { testEndpoints } from './stack';
import { uniqueName } from './unique';

/** A client that records every command it sends, so a test can say which collections a read touched. */
export function monitoredStore(prefix: string) {
  const client = new MongoClient(testEndpoints().mongodbUri, {
    serverSelectionTimeoutMS: 5_000,
    monitorCommands: true,
  });
  const commands: CommandStartedEvent[] = [];
  /** Each command's start (its index in `commands`) and end, in the order they happened. */
  const flights: Array<{ requestId: number; started: boolean }> = [];
  client.on('commandStarted', (event) => {
    commands.push(event);
    flights.push({ requestId: event.requestId, started: true });
  });
  const ended = (event: { requestId: number }) =>
    flights.push({ requestId: event.requestId, started: false });
  client.on('commandSucceeded', ended);
  client.on('commandFailed', ended);
  const database = client.db(uniqueName(prefix).replaceAll('-', '_'));
  return {
    client,
    database,
    /** The collections the `find`s sent since `since` read. */
    foundIn: (since: number) =>
      commands
        .slice(since)
        .filter((command) => command.commandName === 'find')
        .map((command) => String(command.command.find)),
    /** Each `find` sent since `since`: the collection, the filter and the projection. */
    findsIn: (since: number) =>
      commands
        .slice(since)
        .filter((command) => command.commandName === 'find')
        .map((command) => ({
          collection: String(command.command.find),
          filter: (command.command.filter ?? {}) as Record<string, unknown>,
          projection: command.command.projection as Record<string, unknown> | undefined,
        })),
    /** The collections each command of this name sent since `since` went to, in order. */
    collectionsOf: (since: number, name: string) =>
      commands
        .slice(since)
        .filter((command) => command.commandName === name)
        .map((command) => String(command.command[name])),
    /** The most commands of this name to collections named from `prefix` that were in flight at once. */
    mostAtOnce: (name: string, prefix: string) => {
      const matching = new Set(
        commands
          .filter(
            (command) => command.commandName === name && String(command.command[name]).startsWith(prefix),
          )
          .map((command) => command.requestId),
      );
      let inFlight = 0;
      let most = 0;
      for (const { requestId, started } of flights) {
        if (!matching.has(requestId)) continue;
        inFlight += started ? 1 : -1;
        most = Math.max(most, inFlight);
      }
      return most;
    },
    mark: () => commands.length,
    commandsSince: (since: number, name: string) =>
      commands.slice(since).filter((command) => command.commandName === name).length,
  };
}

/** Drops a test's database, and closes its client, whatever state they are in. */
export async function dropQuietly(database: Db, client: MongoClient) {
  await database.dropDatabase().catch(() => undefined);
  await client.close();
}
