/** The eight 16-bit groups of an IPv6 address that `isIP` accepted; a dotted IPv4 tail counts as two. */
export function ipv6Groups(address: string): number[] {
  let text = (address.split('%')[0] as string).toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const gap = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(gap).fill('0'), ...right].map((group) => Number.parseInt(group, 16));
}

const zero = (groups: number[], from: number, to: number) => groups.slice(from, to).every((g) => g === 0);

/**
 * The IPv4 address an IPv6 address stands for, in every form that reaches it: mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), SIIT (::ffff:0:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d). `::` and `::1` are
 * themselves, not 0.0.0.0 and 0.0.0.1.
 */
export function embeddedIpv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  const high = groups[6] as number;
  const low = groups[7] as number;
  const mapped = zero(groups, 0, 5) && groups[5] === 0xffff;
  const siit = zero(groups, 0, 4) && groups[4] === 0xffff && groups[5] === 0;
  const compatible = zero(groups, 0, 6) && (high !== 0 || low > 1);
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zero(groups, 2, 6);
  if (!(mapped || siit || compatible || nat64)) return undefined;
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
