import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signDelivery } from '@wms-webhooks/delivery';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { localCredentials } from './local-credentials';
import { publishEvents } from './publish-events';
import { runTool } from './run-tool';
import { sampleEvent } from './sample-events';

const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:8080';
const authorization = `Bearer ${localCredentials().adminKey}`;

/**
 * `npm run events:demo`, with `npm start` running: a receiver on 127.0.0.1, a webhook pointing at it,
 * one sample event published to Kafka, and what the receiver got, signature checked, then the log entry.
 */
runTool(async () => {
  let deliver: (request: { headers: Record<string, string | string[] | undefined>; body: string }) => void =
    () => {};
  const received = new Promise<Parameters<typeof deliver>[0]>((resolveReceived) => {
    deliver = resolveReceived;
  });
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      response.writeHead(204).end();
      server.close();
      deliver({ headers: request.headers, body });
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/demo`;

  const created = await fetch(`${apiUrl}/api/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({
      name: 'demo',
      eventType: 'order.picked',
      kind: 'regular',
      goodsOwnerIds: [1],
      url,
      email: 'demo@example.com',
      auth: { type: 'token', token: 'demo-token' },
      headers: { 'X-Demo': 'yes' },
      retryPolicy: 'none',
    }),
  }).catch((error: Error) => {
    throw new Error(`the API at ${apiUrl} did not answer (${error.message}); run npm start first`);
  });
  const webhook = (await created.json()) as { id: string; signingSecret: string };
  if (created.status !== 201) throw new Error(`creating the webhook failed: ${JSON.stringify(webhook)}`);
  console.log(`created webhook ${webhook.id} → ${url}`);

  const event = sampleEvent({ eventType: 'order.picked', goodsOwnerId: 1 });
  await publishEvents(await resolveEndpoints({ start: false }), process.env.WEBHOOKS_TOPIC_PREFIX ?? '', [
    event,
  ]);
  console.log(`published ${event.eventType} ${event.eventId} to wms.events`);

  const timeout = setTimeout(() => {
    console.error('nothing arrived within 30 s; are the services running (npm start)?');
    process.exit(1);
  }, 30_000);
  const request = await received;
  clearTimeout(timeout);
  const id = String(request.headers['webhook-id']);
  const timestamp = Number(request.headers['webhook-timestamp']);
  const valid =
    signDelivery(webhook.signingSecret, id, timestamp, request.body) === request.headers['webhook-signature'];
  console.log('\nthe receiver got:');
  for (const name of [
    'content-type',
    'x-auth-token',
    'x-demo',
    'webhook-id',
    'webhook-timestamp',
    'webhook-signature',
    'webhook-attempt',
  ]) {
    console.log(`  ${name}: ${request.headers[name]}`);
  }
  console.log(`  body: ${request.body}`);
  console.log(`  signature ${valid ? 'verifies' : 'DOES NOT verify'} with the webhook's signing secret`);

  // The sender logs attempts in one insert per batch, just after the batch is sent; give it a moment.
  let logs: { items: unknown[] } = { items: [] };
  for (let tries = 0; tries < 50 && logs.items.length === 0; tries++) {
    logs = (await (
      await fetch(`${apiUrl}/api/webhooks/${webhook.id}/logs`, { headers: { authorization } })
    ).json()) as { items: unknown[] };
    if (logs.items.length === 0) await new Promise((tick) => setTimeout(tick, 100));
  }
  console.log(`\nGET /api/webhooks/${webhook.id}/logs:\n${JSON.stringify(logs, null, 2)}`);
  await fetch(`${apiUrl}/api/webhooks/${webhook.id}`, { method: 'DELETE', headers: { authorization } });
  console.log('\nthe demo webhook was deleted again.');
});
