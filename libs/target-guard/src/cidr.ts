import { BlockList, isIP } from 'node:net';

export interface Cidr {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export class InvalidCidrError extends Error {
  override readonly name = 'InvalidCidrError';
}

export function parseCidr(text: string): Cidr {
  const [network = '', prefixText, ...rest] = text.trim().split('/');
  const version = isIP(network);
  if (version === 0 || rest.length > 0) {
    throw new InvalidCidrError(`"${text}" is not an address range like 127.0.0.0/8 or ::1/128`);
  }
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(max)) || prefix > max) {
    throw new InvalidCidrError(`"${text}" has a prefix length outside 0-${max}`);
  }
  return { network, prefix, family };
}

/** A comma-separated list of CIDRs; blank entries are ignored. */
export function parseCidrList(text: string): Cidr[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseCidr);
}

export function blockListOf(ranges: readonly Cidr[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) list.addSubnet(range.network, range.prefix, range.family);
  return list;
}
