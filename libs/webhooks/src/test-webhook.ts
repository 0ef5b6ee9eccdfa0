import type { Webhook } from './webhook';

/** A complete webhook for unit tests; override what the test is about. */
export function testWebhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    name: 'hook',
    eventType: 'order.picked',
    kind: 'regular',
    goodsOwnerIds: [1],
    allGoodsOwners: false,
    url: 'https://receiver.example/hook',
    email: 'ops@example.com',
    auth: { type: 'none' },
    headers: {},
    filters: {},
    retryPolicy: 'none',
    enabled: true,
    timeoutMs: 10_000,
    maxConcurrency: 1,
    maxPerSecond: null,
    signingSecret: `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`,
    previousSigningSecrets: [],
    version: 1,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}
