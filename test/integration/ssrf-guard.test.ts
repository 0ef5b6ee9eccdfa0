import { createDeliveryClient } from '@wms-webhooks/delivery';
import { createTargetPolicy, parseCidrList, parsePortList } from '@wms-webhooks/target-guard';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';

const request = (url: string) => ({ url, headers: { 'content-type': 'application/json' }, body: '{}' });

describe('the SSRF guard at send, on real sockets', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await new Receiver().start();
  });
  afterAll(() => receiver.stop());

  describe('with the default policy', () => {
    const client = createDeliveryClient({ targetPolicy: createTargetPolicy() });
    afterAll(() => client.close());

    it('refuses a loopback address literal without connecting', async () => {
      const outcome = await client.send(request(receiver.url('/literal')), 2_000);
      expect(outcome).toMatchObject({ outcome: 'failed', kind: 'target-refused' });
      expect(receiver.at('/literal')).toHaveLength(0);
    });

    it('refuses a name that resolves to loopback, checked on the address it would connect to', async () => {
      const port = new URL(receiver.url('/')).port;
      const outcome = await client.send(request(`http://localhost:${port}/named`), 2_000);
      expect(outcome).toMatchObject({ outcome: 'failed', kind: 'target-refused' });
      expect(outcome.outcome === 'failed' && outcome.error).toContain('localhost resolves to an address');
      expect(receiver.at('/named')).toHaveLength(0);
    });
  });

  describe('with 127.0.0.0/8 allowed', () => {
    const client = createDeliveryClient({
      targetPolicy: createTargetPolicy({ allowedTargets: parseCidrList('127.0.0.0/8') }),
    });
    afterAll(() => client.close());

    it('delivers to loopback by name', async () => {
      const port = new URL(receiver.url('/')).port;
      const outcome = await client.send(request(`http://localhost:${port}/allowed`), 2_000);
      expect(outcome).toMatchObject({ outcome: 'succeeded', statusCode: 200 });
      expect(receiver.at('/allowed')).toHaveLength(1);
    });

    it('refuses a metadata host name before looking it up', async () => {
      const outcome = await client.send(
        request('http://metadata.google.internal/computeMetadata/v1/'),
        2_000,
      );
      expect(outcome).toMatchObject({ outcome: 'failed', kind: 'target-refused' });
      expect(outcome.outcome === 'failed' && outcome.error).toContain('cloud metadata host name');
    });

    it('does not follow a redirect, which could point inside the network', async () => {
      receiver.respondWith('/moved', 302, { location: 'http://169.254.169.254/latest/meta-data/' });
      const outcome = await client.send(request(receiver.url('/moved')), 2_000);
      expect(outcome).toMatchObject({ outcome: 'failed', kind: 'status', statusCode: 302 });
      expect(receiver.requests.map((received) => received.path)).not.toContain('/latest/meta-data/');
    });
  });

  describe('with 127.0.0.0/8 allowed but only port 443', () => {
    const client = createDeliveryClient({
      targetPolicy: createTargetPolicy({
        allowedTargets: parseCidrList('127.0.0.0/8'),
        allowedPorts: parsePortList('443'),
      }),
    });
    afterAll(() => client.close());

    it("refuses the receiver's port without connecting", async () => {
      const outcome = await client.send(request(receiver.url('/other-port')), 2_000);
      expect(outcome).toMatchObject({ outcome: 'failed', kind: 'target-refused' });
      expect(outcome.outcome === 'failed' && outcome.error).toContain('WEBHOOKS_ALLOWED_PORTS');
      expect(receiver.at('/other-port')).toHaveLength(0);
    });
  });
});

describe('the SSRF guard at save', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ WEBHOOKS_ALLOWED_TARGETS: '' }, { sender: false });
  });
  afterAll(() => pipeline.stop());

  const settings = (url: string) => ({
    name: 'inside',
    eventType: 'order.picked',
    kind: 'regular',
    goodsOwnerIds: [1],
    url,
    email: 'ops@example.com',
  });

  it.each([
    ['http://127.0.0.1:9/hook', '127.0.0.1 is a loopback address'],
    ['http://localhost:9/hook', 'localhost resolves to an address that is not public'],
    ['http://[::1]:9/hook', '::1 is a loopback address'],
    ['http://169.254.169.254/latest', 'link-local (cloud metadata)'],
    ['http://10.20.30.40/hook', '10.20.30.40 is a private address'],
    ['http://[::ffff:192.168.0.1]/hook', 'private'],
    ['http://[::127.0.0.1]/hook', 'embeds 127.0.0.1, a loopback address'],
    ['http://[::ffff:0:7f00:1]/hook', 'embeds 127.0.0.1, a loopback address'],
    ['http://[64:ff9b::a9fe:a9fe]/hook', 'embeds 169.254.169.254, a link-local (cloud metadata) address'],
    ['http://[64:ff9b:1::a00:1]/hook', 'local-use NAT64'],
    ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook', 'Teredo'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'cloud metadata host name'],
    ['http://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/', 'cloud metadata host name'],
    ['http://instance-data.ec2.internal/latest', 'cloud metadata host name'],
  ])('refuses %s with 400 naming the url', async (url, message) => {
    const response = await pipeline.api('/api/webhooks', { method: 'POST', body: settings(url) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { problems: Array<{ field: string; message: string }> };
    expect(body.problems).toEqual([{ field: 'url', message: expect.stringContaining(message) }]);
  });

  it('refuses a port outside WEBHOOKS_ALLOWED_PORTS, naming the rule', async () => {
    const strictPorts = await startPipeline(
      { WEBHOOKS_ALLOWED_TARGETS: '', WEBHOOKS_ALLOWED_PORTS: '443,8000-8999' },
      { sender: false },
    );
    try {
      const refusedPort = await strictPorts.api('/api/webhooks', {
        method: 'POST',
        body: settings('https://93.184.215.14:9443/hook'),
      });
      expect(refusedPort.status).toBe(400);
      expect(await refusedPort.json()).toMatchObject({
        problems: [
          { field: 'url', message: expect.stringContaining('port 9443 is not in WEBHOOKS_ALLOWED_PORTS') },
        ],
      });
      for (const url of ['https://93.184.215.14/hook', 'http://93.184.215.14:8080/hook']) {
        const accepted = await strictPorts.api('/api/webhooks', {
          method: 'POST',
          body: settings(url),
          awaitPropagation: false,
        });
        expect(accepted.status, url).toBe(201);
      }
      const defaultHttpPort = await strictPorts.api('/api/webhooks', {
        method: 'POST',
        body: settings('http://93.184.215.14/hook'),
      });
      expect(defaultHttpPort.status).toBe(400);
    } finally {
      await strictPorts.stop();
    }
  });

  it('accepts a public address', async () => {
    const response = await pipeline.api('/api/webhooks', {
      method: 'POST',
      body: settings('https://93.184.215.14/hook'),
      awaitPropagation: false,
    });
    expect(response.status).toBe(201);
  });
});
