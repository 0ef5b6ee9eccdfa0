import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { asyncApiDocument, deliveryEnvelope, eventCatalogue } from './catalogue-documents';
import { eventTypes } from './event-types';

/** Types published before the catalogue grew: a type is added, never renamed or removed. */
const publishedBefore = [
  'order.created',
  'order.picked',
  'order.shipped',
  'order.status_changed',
  'order.cancelled',
  'purchase_order.received',
  'return_order.received',
  'article.updated',
  'inventory.adjusted',
];

/** The WMS's webhook templates (docs/event-catalogue.md). */
const wmsTemplates = [
  'order.created',
  'order.picked',
  'order.status_changed',
  'purchase_order.created',
  'purchase_order.received',
  'purchase_order.status_changed',
  'purchase_order_line.created',
  'purchase_order_line.changed',
  'purchase_order_line.deleted',
  'pick_order.created',
  'pick_order.started',
  'pick_order.executed',
  'movement_order.created',
  'movement_order.updated',
  'movement_order.executed',
  'movement_order.deleted',
  'production_order.created',
  'production_order.status_changed',
  'article.created',
  'article.updated',
  'article.deleted',
  'article_item.status_changed',
  'inventory.transaction',
  'return_order.received',
  'inbound_shipment.status_changed',
  'outbound_shipment.status_changed',
];

describe('the event catalogue', () => {
  const types = eventTypes.map((spec) => spec.type);

  it('keeps every type published before, and has every WMS template', () => {
    expect(types).toEqual(expect.arrayContaining([...publishedBefore, ...wmsTemplates]));
    expect(new Set(types).size).toBe(types.length);
  });

  it('lets every type filter on warehouse, and every status change on its from and to status', () => {
    for (const spec of eventTypes) {
      expect(spec.filterableAttributes, spec.type).toContain('warehouseId');
      const statusChange = spec.type.endsWith('.status_changed');
      expect(spec.filterableAttributes.includes('fromStatus'), spec.type).toBe(statusChange);
      expect(spec.filterableAttributes.includes('toStatus'), spec.type).toBe(statusChange);
    }
  });

  it("gives each type a sample whose payload fits the type's schema and whose attributes it can filter on", () => {
    for (const spec of eventTypes) {
      expect(spec.payload.safeParse(spec.sample.payload).error, spec.type).toBeUndefined();
      for (const attribute of Object.keys(spec.sample.attributes)) {
        expect(spec.filterableAttributes, `${spec.type} sample`).toContain(attribute);
      }
    }
  });

  it('describes every filter it publishes', () => {
    for (const entry of eventCatalogue()) {
      for (const filter of entry.filters)
        expect(filter.description, filter.attribute).not.toBe(filter.attribute);
      expect(entry.payloadSchema).toMatchObject({ type: 'object' });
    }
  });

  it('describes the envelope every delivery has', () => {
    const spec = eventTypes.find((type) => type.type === 'order.picked');
    if (!spec) throw new Error('order.picked missing');
    const body = {
      eventId: 'e',
      eventType: 'order.picked',
      occurredAt: '2026-01-01T00:00:00.000Z',
      goodsOwnerId: 1,
      warehouseId: null,
      entityId: 'ORD-1',
      webhookId: 'w',
      data: spec.sample.payload,
    };
    expect(deliveryEnvelope(spec.type, spec.payload).safeParse(body).error).toBeUndefined();
    expect(
      deliveryEnvelope(spec.type, spec.payload).safeParse({ ...body, eventType: 'order.created' }).success,
    ).toBe(false);
  });
});

describe('the AsyncAPI document', () => {
  it('validates with the AsyncAPI parser, without errors or warnings', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncApiDocument()));
    const problems = diagnostics
      .filter((diagnostic) => diagnostic.severity <= 1)
      .map((diagnostic) => `${diagnostic.code} ${diagnostic.message} at ${diagnostic.path.join('.')}`);
    expect(problems).toEqual([]);
    expect(
      document
        ?.channels()
        .all()
        .map((channel) => channel.id()),
    ).toHaveLength(eventTypes.length);
  });

  it('has a channel and a send operation per type, with its sample as the example', () => {
    const doc = asyncApiDocument() as {
      channels: Record<string, { title: string }>;
      operations: Record<string, { action: string }>;
      components: {
        messages: Record<string, { name: string; examples: Array<{ payload: { data: unknown } }> }>;
      };
    };
    expect(Object.values(doc.channels).map((channel) => channel.title)).toEqual(
      eventTypes.map((spec) => spec.type),
    );
    expect(Object.values(doc.operations).every((operation) => operation.action === 'send')).toBe(true);
    expect(doc.components.messages.orderPicked?.examples[0]?.payload.data).toEqual(
      eventTypes.find((spec) => spec.type === 'order.picked')?.sample.payload,
    );
  });
});
