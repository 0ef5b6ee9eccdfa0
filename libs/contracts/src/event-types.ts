export interface EventTypeSpec {
  type: string;
  description: string;
  /** Attributes of WmsEvent.attributes that webhook filters may match on. */
  filterableAttributes: readonly string[];
  /** What Test sends: a realistic event of this type. */
  sample: { entityId: string; attributes: Record<string, string>; payload: Record<string, unknown> };
}

const orderAttributes = ['transporterCode', 'orderType'] as const;

const orderSample = (status: string) => ({
  entityId: 'ORD-TEST-0001',
  attributes: { transporterCode: 'DHL', orderType: 'B2C' },
  payload: {
    orderId: 'ORD-TEST-0001',
    externalReference: 'SHOP-12345',
    status,
    transporterCode: 'DHL',
    orderType: 'B2C',
    lines: [
      { lineNumber: 1, sku: 'SKU-RED-M', quantity: 2 },
      { lineNumber: 2, sku: 'SKU-BLUE-L', quantity: 1 },
    ],
  },
});

/** Every event type WMS services may publish, in one place: the matcher, the API and Test all read it. */
export const eventTypes: readonly EventTypeSpec[] = [
  {
    type: 'order.created',
    description: 'An order was created.',
    filterableAttributes: orderAttributes,
    sample: orderSample('created'),
  },
  {
    type: 'order.picked',
    description: 'All lines of an order were picked.',
    filterableAttributes: orderAttributes,
    sample: orderSample('picked'),
  },
  {
    type: 'order.shipped',
    description: 'An order left the warehouse.',
    filterableAttributes: orderAttributes,
    sample: orderSample('shipped'),
  },
  {
    type: 'order.status_changed',
    description: "An order's status changed.",
    filterableAttributes: orderAttributes,
    sample: orderSample('in_progress'),
  },
  {
    type: 'order.cancelled',
    description: 'An order was cancelled.',
    filterableAttributes: orderAttributes,
    sample: orderSample('cancelled'),
  },
  {
    type: 'purchase_order.received',
    description: 'Goods of a purchase order were received.',
    filterableAttributes: ['supplierCode'],
    sample: {
      entityId: 'PO-TEST-0001',
      attributes: { supplierCode: 'ACME' },
      payload: {
        purchaseOrderId: 'PO-TEST-0001',
        supplierCode: 'ACME',
        lines: [{ sku: 'SKU-RED-M', quantityReceived: 24 }],
      },
    },
  },
  {
    type: 'return_order.received',
    description: 'A return arrived at the warehouse.',
    filterableAttributes: ['returnReason'],
    sample: {
      entityId: 'RET-TEST-0001',
      attributes: { returnReason: 'damaged' },
      payload: {
        returnOrderId: 'RET-TEST-0001',
        orderId: 'ORD-TEST-0001',
        returnReason: 'damaged',
        lines: [{ sku: 'SKU-RED-M', quantity: 1 }],
      },
    },
  },
  {
    type: 'article.updated',
    description: 'Article master data changed.',
    filterableAttributes: [],
    sample: {
      entityId: 'SKU-RED-M',
      attributes: {},
      payload: { sku: 'SKU-RED-M', description: 'T-shirt red M', ean: '8712345678906' },
    },
  },
  {
    type: 'inventory.adjusted',
    description: 'Stock was corrected.',
    filterableAttributes: ['reasonCode'],
    sample: {
      entityId: 'SKU-RED-M',
      attributes: { reasonCode: 'cycle_count' },
      payload: {
        sku: 'SKU-RED-M',
        location: 'A-01-02',
        quantityBefore: 10,
        quantityAfter: 9,
        reasonCode: 'cycle_count',
      },
    },
  },
];

const byType = new Map(eventTypes.map((spec) => [spec.type, spec]));

export function eventTypeSpec(type: string): EventTypeSpec | undefined {
  return byType.get(type);
}
