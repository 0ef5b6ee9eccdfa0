import { isIP } from 'node:net';
import { refusedRanges } from './address-ranges';
import { blockListOf, type Cidr, parseCidr } from './cidr';

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

export interface TargetPolicy {
  check(address: string): AddressVerdict;
  readonly allowed: readonly Cidr[];
}

const refused = refusedRanges.map(({ cidr, label }) => ({ list: blockListOf([parseCidr(cidr)]), label }));

/** IPv4 embedded in IPv6 (mapped ::ffff:a.b.c.d, or NAT64 64:ff9b::/96) is judged as the IPv4 it reaches. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const high = Number.parseInt(hex[1] as string, 16);
  const low = Number.parseInt(hex[2] as string, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/**
 * Loopback, private, link-local, carrier-grade NAT, metadata and other non-public addresses are refused,
 * unless an allowed range (WEBHOOKS_ALLOWED_TARGETS) covers them.
 */
export function createTargetPolicy(allowed: readonly Cidr[] = []): TargetPolicy {
  const allowList = blockListOf(allowed);
  const check = (address: string): AddressVerdict => {
    const version = isIP(address);
    if (version === 0) return { allowed: false, reason: `"${address}" is not an IP address` };
    const family = version === 4 ? 'ipv4' : 'ipv6';
    if (allowList.check(address, family)) return { allowed: true };
    const ipv4 = version === 6 ? embeddedIpv4(address) : undefined;
    if (ipv4) return check(ipv4);
    const hit = refused.find(({ list }) => list.check(address, family));
    return hit ? { allowed: false, reason: `${address} is a ${hit.label} address` } : { allowed: true };
  };
  return { check, allowed };
}
