import { describe, expect, it } from 'vitest';
import { parseCidrList } from './cidr';
import { parsePortList } from './ports';
import { checkTargetUrl, refusalForUrl } from './resolve-target';
import { createTargetPolicy } from './target-policy';

const strict = createTargetPolicy();

describe('the default target policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.100.100.200', 'carrier-grade NAT'],
    ['0.0.0.0', 'this network'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'unique local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['::127.0.0.1', 'embeds 127.0.0.1, a loopback'],
    ['::7f00:1', 'embeds 127.0.0.1, a loopback'],
    ['::ffff:0:7f00:1', 'embeds 127.0.0.1, a loopback'],
    ['::ffff:0:10.0.0.1', 'embeds 10.0.0.1, a private'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'embeds 169.254.169.254'],
    ['64:ff9b::a9fe:a9fe', 'embeds 169.254.169.254'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2002:7f00:1::', '6to4'],
  ])('refuses %s as %s', (address, label) => {
    const verdict = strict.check(address);
    expect(verdict.allowed).toBe(false);
    expect(verdict.allowed === false && verdict.reason).toContain(label);
  });

  it.each(['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'allows public %s',
    (address) => {
      expect(strict.check(address)).toEqual({ allowed: true });
    },
  );
});

describe('with WEBHOOKS_ALLOWED_TARGETS=127.0.0.0/8,::1/128', () => {
  const policy = createTargetPolicy({ allowedTargets: parseCidrList('127.0.0.0/8, ::1/128') });

  it('allows loopback in both families', () => {
    expect(policy.check('127.0.0.1').allowed).toBe(true);
    expect(policy.check('::1').allowed).toBe(true);
    expect(policy.check('::ffff:127.0.0.1').allowed).toBe(true);
  });

  it('still refuses other private ranges', () => {
    expect(policy.check('10.0.0.1').allowed).toBe(false);
    expect(policy.check('169.254.169.254').allowed).toBe(false);
  });
});

describe('the cloud metadata host names', () => {
  it.each([
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://Metadata.Google.Internal./x',
    'http://metadata/x',
    'http://instance-data/latest',
  ])('refuses %s before any lookup', (url) => {
    expect(refusalForUrl(strict, url)?.message).toContain('is a cloud metadata host name');
  });

  it('does not refuse a name that merely contains one', () => {
    expect(refusalForUrl(strict, 'https://metadata.google.internal.example.com/')).toBeUndefined();
  });
});

describe('with WEBHOOKS_ALLOWED_PORTS=443,8000-8999', () => {
  const policy = createTargetPolicy({ allowedPorts: parsePortList('443, 8000-8999') });

  it.each([
    ['https://93.184.215.14/', undefined],
    ['https://93.184.215.14:8080/', undefined],
    ['http://93.184.215.14/', 'port 80 is not in WEBHOOKS_ALLOWED_PORTS (443,8000-8999)'],
    ['https://93.184.215.14:9000/', 'port 9000 is not in WEBHOOKS_ALLOWED_PORTS'],
  ])('judges %s', (url, refusal) => {
    const message = refusalForUrl(policy, url)?.message;
    if (refusal === undefined) expect(message).toBeUndefined();
    else expect(message).toContain(refusal);
  });

  it('names the entry that is not a port', () => {
    expect(() => parsePortList('443,https')).toThrow('"https" is not a port');
    expect(() => parsePortList('70000')).toThrow('"70000" is not a port');
    expect(() => parsePortList('9000-8000')).toThrow('"9000-8000" ends before it starts');
  });

  it('allows every port when empty', () => {
    expect(
      refusalForUrl(createTargetPolicy({ allowedPorts: parsePortList('') }), 'https://1.1.1.1:1/'),
    ).toBeUndefined();
  });
});

describe('parsing the allowlist', () => {
  it('names the entry that is not a range', () => {
    expect(() => parseCidrList('127.0.0.0/8,localhost')).toThrow('"localhost" is not an address range');
    expect(() => parseCidrList('10.0.0.0/33')).toThrow('prefix length outside 0-32');
  });

  it('reads a bare address as a single host', () => {
    expect(parseCidrList('::1')).toEqual([{ network: '::1', prefix: 128, family: 'ipv6' }]);
  });
});

describe('checking a URL at save', () => {
  const lookupTo =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a name that resolves to a metadata address', async () => {
    const result = await checkTargetUrl(strict, 'https://metadata.example/', lookupTo('169.254.169.254'));
    expect(result).toEqual({
      ok: false,
      reason: expect.stringContaining('metadata.example resolves to an address that is not public'),
    });
  });

  it('refuses a name when any one of its addresses is private', async () => {
    const result = await checkTargetUrl(strict, 'https://mixed.example/', lookupTo('1.1.1.1', '10.0.0.1'));
    expect(result.ok).toBe(false);
  });

  it('accepts a name that does not resolve yet', async () => {
    const result = await checkTargetUrl(strict, 'https://later.example/', async () => {
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    });
    expect(result).toEqual({ ok: true, resolved: false });
  });

  it('refuses an IPv6 literal without looking it up', async () => {
    expect((await checkTargetUrl(strict, 'http://[::1]:8080/hook')).ok).toBe(false);
    expect(refusalForUrl(strict, 'http://[::1]:8080/hook')?.message).toContain('::1 is a loopback address');
  });
});
