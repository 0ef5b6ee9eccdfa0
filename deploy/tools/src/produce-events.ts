import { parseArgs } from 'node:util';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { publishEvents } from './publish-events';
import { runTool } from './run-tool';
import { sampleEvent } from './sample-events';

const usage = `usage: npm run events:produce -- --type order.picked --owner 42 [--count 10] [--attr transporterCode=UPS ...]`;

/** Publishes sample WMS events to wms.events, as a WMS service would. */
runTool(async () => {
  const { values } = parseArgs({
    options: {
      type: { type: 'string', default: 'order.picked' },
      owner: { type: 'string', default: '1' },
      count: { type: 'string', default: '1' },
      attr: { type: 'string', multiple: true, default: [] },
      prefix: { type: 'string', default: process.env.WEBHOOKS_TOPIC_PREFIX ?? '' },
    },
  });
  const goodsOwnerId = Number(values.owner);
  const count = Number(values.count);
  if (!Number.isInteger(goodsOwnerId) || goodsOwnerId <= 0)
    throw new Error(`--owner must be a positive integer\n${usage}`);
  if (!Number.isInteger(count) || count <= 0 || count > 100_000)
    throw new Error(`--count must be 1-100000\n${usage}`);
  const attributes: Record<string, string> = {};
  for (const pair of values.attr) {
    const [key, value] = pair.split('=');
    if (!key || value === undefined) throw new Error(`--attr takes name=value, got "${pair}"\n${usage}`);
    attributes[key] = value;
  }

  const endpoints = await resolveEndpoints({ start: false });
  const events = Array.from({ length: count }, () =>
    sampleEvent({ eventType: values.type, goodsOwnerId, attributes }),
  );
  await publishEvents(endpoints, values.prefix, events);
  for (const event of events.slice(0, 5))
    console.log(`${event.eventType} ${event.eventId} owner ${event.goodsOwnerId} entity ${event.entityId}`);
  if (events.length > 5) console.log(`… ${events.length} events in all`);
});
