export interface PortRange {
  from: number;
  to: number;
}

export class InvalidPortListError extends Error {
  override readonly name = 'InvalidPortListError';
}

const portOf = (text: string, entry: string) => {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new InvalidPortListError(`"${entry}" is not a port (1-65535) or a range like 8000-8999`);
  }
  return port;
};

/** A comma-separated list of ports and ranges, e.g. `443,8443,8000-8999`; empty allows every port. */
export function parsePortList(text: string): PortRange[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [fromText = '', toText, ...rest] = entry.split('-').map((part) => part.trim());
      if (rest.length > 0)
        throw new InvalidPortListError(`"${entry}" is not a port or a range like 8000-8999`);
      const from = portOf(fromText, entry);
      const to = toText === undefined ? from : portOf(toText, entry);
      if (to < from) throw new InvalidPortListError(`"${entry}" ends before it starts`);
      return { from, to };
    });
}

/** The port a URL connects to: its own, or its scheme's default. */
export function portOfUrl(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}
