import { isIP } from 'node:net';
import { metadataHostNames, refusedRanges } from './address-ranges';
import { blockListOf, type Cidr, parseCidr } from './cidr';
import { embeddedIpv4 } from './ipv6-embedding';
import { type PortRange, portOfUrl } from './ports';

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

export interface TargetPolicy {
  /** Whether a webhook may connect to this address. */
  check(address: string): AddressVerdict;
  /** What the URL alone rules out, before any lookup: a metadata host name or a port not allowed. */
  checkName(url: URL): AddressVerdict;
  readonly allowedTargets: readonly Cidr[];
  /** Empty: every port. */
  readonly allowedPorts: readonly PortRange[];
}

export interface TargetPolicyOptions {
  /** Non-public ranges allowed anyway (WEBHOOKS_ALLOWED_TARGETS). */
  allowedTargets?: readonly Cidr[];
  /** The only ports webhooks may use (WEBHOOKS_ALLOWED_PORTS); empty or absent allows all. */
  allowedPorts?: readonly PortRange[];
}

const refused = refusedRanges.map(({ cidr, label }) => ({ list: blockListOf([parseCidr(cidr)]), label }));

const describePorts = (ports: readonly PortRange[]) =>
  ports.map(({ from, to }) => (from === to ? String(from) : `${from}-${to}`)).join(',');

/**
 * Loopback, private, link-local, carrier-grade NAT, metadata and other non-public addresses are refused,
 * unless an allowed range covers them. An IPv6 address that embeds an IPv4 one is judged as the IPv4 it
 * reaches.
 */
export function createTargetPolicy(options: TargetPolicyOptions = {}): TargetPolicy {
  const allowedTargets = options.allowedTargets ?? [];
  const allowedPorts = options.allowedPorts ?? [];
  const allowList = blockListOf(allowedTargets);
  const check = (address: string): AddressVerdict => {
    const version = isIP(address);
    if (version === 0) return { allowed: false, reason: `"${address}" is not an IP address` };
    const family = version === 4 ? 'ipv4' : 'ipv6';
    if (allowList.check(address, family)) return { allowed: true };
    const ipv4 = version === 6 ? embeddedIpv4(address) : undefined;
    if (ipv4) {
      const verdict = check(ipv4);
      return verdict.allowed
        ? verdict
        : {
            allowed: false,
            reason: `${address} embeds ${ipv4}, ${verdict.reason.replace(`${ipv4} is `, '')}`,
          };
    }
    const hit = refused.find(({ list }) => list.check(address, family));
    return hit ? { allowed: false, reason: `${address} is a ${hit.label} address` } : { allowed: true };
  };
  const checkName = (url: URL): AddressVerdict => {
    const host = url.hostname.toLowerCase().replace(/\.$/, '');
    if (metadataHostNames.has(host))
      return { allowed: false, reason: `${host} is a cloud metadata host name` };
    const port = portOfUrl(url);
    if (allowedPorts.length > 0 && !allowedPorts.some(({ from, to }) => port >= from && port <= to)) {
      return {
        allowed: false,
        reason: `port ${port} is not in WEBHOOKS_ALLOWED_PORTS (${describePorts(allowedPorts)})`,
      };
    }
    return { allowed: true };
  };
  return { check, checkName, allowedTargets, allowedPorts };
}
