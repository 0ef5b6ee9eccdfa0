/** Ranges a webhook may not reach unless allowed: nothing here is a public internet host. */
export const refusedRanges: ReadonlyArray<{ cidr: string; label: string }> = [
  { cidr: '0.0.0.0/8', label: '"this network"' },
  { cidr: '10.0.0.0/8', label: 'private' },
  { cidr: '100.64.0.0/10', label: 'carrier-grade NAT' },
  { cidr: '127.0.0.0/8', label: 'loopback' },
  { cidr: '169.254.0.0/16', label: 'link-local (cloud metadata)' },
  { cidr: '172.16.0.0/12', label: 'private' },
  { cidr: '192.0.0.0/24', label: 'IETF protocol assignments' },
  { cidr: '192.0.2.0/24', label: 'documentation' },
  { cidr: '192.168.0.0/16', label: 'private' },
  { cidr: '198.18.0.0/15', label: 'benchmarking' },
  { cidr: '198.51.100.0/24', label: 'documentation' },
  { cidr: '203.0.113.0/24', label: 'documentation' },
  { cidr: '224.0.0.0/4', label: 'multicast' },
  { cidr: '240.0.0.0/4', label: 'reserved' },
  { cidr: '::/128', label: 'unspecified' },
  { cidr: '::1/128', label: 'loopback' },
  { cidr: '64:ff9b:1::/48', label: 'local-use NAT64 (translates into a private network)' },
  { cidr: '100::/64', label: 'discard' },
  { cidr: '2001::/32', label: 'Teredo tunnel (carries an IPv4 address)' },
  { cidr: '2001:db8::/32', label: 'documentation' },
  { cidr: '2002::/16', label: '6to4 relay' },
  { cidr: 'fc00::/7', label: 'unique local (private, cloud metadata)' },
  { cidr: 'fe80::/10', label: 'link-local' },
  { cidr: 'fec0::/10', label: 'site-local' },
  { cidr: 'ff00::/8', label: 'multicast' },
];

/**
 * Names that reach a cloud's instance metadata from inside it. Refused at save even where they do not
 * resolve (they resolve only inside their cloud), and at send whatever they resolve to.
 */
export const metadataHostNames: ReadonlySet<string> = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
  'metadata.packet.net',
]);
