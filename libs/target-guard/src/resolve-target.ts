import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { TargetPolicy } from './target-policy';

export const targetRefusedCode = 'ERR_WEBHOOK_TARGET_REFUSED';

export class TargetRefusedError extends Error {
  override readonly name = 'TargetRefusedError';
  readonly code = targetRefusedCode;
}

const refusalAdvice = 'such targets are refused unless WEBHOOKS_ALLOWED_TARGETS permits them';

/** The URL's host as an address or a name; IPv6 literals lose their brackets. */
export function hostOf(url: string): string {
  const { hostname } = new URL(url);
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

function refusal(host: string, reasons: string[]): string {
  const resolved = isIP(host) ? '' : `${host} resolves to an address that is not public: `;
  return `${resolved}${reasons.join('; ')}; ${refusalAdvice}`;
}

function verdictFor(policy: TargetPolicy, host: string, addresses: readonly string[]): string | undefined {
  const reasons = addresses.flatMap((address) => {
    const verdict = policy.check(address);
    return verdict.allowed ? [] : [verdict.reason];
  });
  return reasons.length > 0 ? refusal(host, reasons) : undefined;
}

type Lookup = (host: string) => Promise<LookupAddress[]>;

const systemLookup: Lookup = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/** What the URL alone rules out: a metadata host name, a port not allowed, an address literal not allowed. */
function refusalOfUrl(policy: TargetPolicy, url: string): string | undefined {
  const parsed = new URL(url);
  const name = policy.checkName(parsed);
  if (!name.allowed) return name.reason;
  const host = hostOf(url);
  return isIP(host) ? verdictFor(policy, host, [host]) : undefined;
}

/**
 * The check at save: what the URL shows, then every address the host resolves to must be allowed. A name
 * that does not resolve yet is accepted (DNS may be set up later); the check at send still applies.
 */
export async function checkTargetUrl(
  policy: TargetPolicy,
  url: string,
  lookup: Lookup = systemLookup,
): Promise<{ ok: true; resolved: boolean } | { ok: false; reason: string }> {
  const refused = refusalOfUrl(policy, url);
  if (refused) return { ok: false, reason: refused };
  const host = hostOf(url);
  if (isIP(host)) return { ok: true, resolved: true };
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host);
  } catch {
    return { ok: true, resolved: false };
  }
  const reason = verdictFor(
    policy,
    host,
    addresses.map((entry) => entry.address),
  );
  return reason ? { ok: false, reason } : { ok: true, resolved: true };
}

/**
 * The check at send before connecting: sockets skip DNS for address literals, so the lookup hook never
 * sees them, and a name or port rule holds whatever the name resolves to.
 */
export function refusalForUrl(policy: TargetPolicy, url: string): TargetRefusedError | undefined {
  const reason = refusalOfUrl(policy, url);
  return reason ? new TargetRefusedError(reason) : undefined;
}

/**
 * A socket `lookup` that refuses names resolving to addresses the policy forbids. The socket connects
 * only to the addresses returned here, so a name re-pointed after save (DNS rebinding) is caught at
 * the moment of connecting, not just at a check before it.
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const reason = verdictFor(
        policy,
        hostname,
        addresses.map((entry) => entry.address),
      );
      if (reason) return callback(new TargetRefusedError(reason), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}
