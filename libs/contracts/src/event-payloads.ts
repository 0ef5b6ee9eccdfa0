import { z } from 'zod';

/**
 * What each entity's events carry in `data`, as JSON Schema is published for it (the catalogue and the
 * AsyncAPI document). Loose objects: the WMS may add fields, and a receiver should ignore what it does
 * not know. The ingester checks only that a payload is JSON; these describe, they do not gate.
 */
const status = z.string().describe('A WMS status number, e.g. "200" or "400".');
const statusChange = {
  fromStatus: status.describe('The status before the change.'),
  toStatus: status.describe('The status after the change.'),
};
const sku = z.string().describe('The article number.');
const quantity = z.number().int().describe("In the article's base unit.");
const location = z.string().describe('A warehouse location, e.g. A-01-02.');

const orderLine = z.looseObject({ lineNumber: z.number().int(), sku, quantity });
const order = z.looseObject({
  orderId: z.string(),
  externalReference: z.string().optional().describe("The shop's or ERP's own reference."),
  status: z.string(),
  transporterCode: z.string().optional(),
  orderType: z.string().optional(),
  lines: z.array(orderLine),
});

const purchaseOrderLine = z.looseObject({
  lineNumber: z.number().int(),
  sku,
  quantityOrdered: quantity,
  quantityReceived: quantity.optional(),
});
const purchaseOrder = z.looseObject({
  purchaseOrderId: z.string(),
  supplierCode: z.string(),
  orderType: z.string().optional(),
  status: z.string().optional(),
  lines: z.array(purchaseOrderLine),
});

const pickOrder = z.looseObject({
  pickOrderId: z.string(),
  orderIds: z.array(z.string()).describe('The orders this pick order picks for.'),
  transporterCode: z.string().optional(),
  orderType: z.string().optional(),
  lines: z.array(z.looseObject({ sku, location, quantity, quantityPicked: quantity.optional() })),
});

const movementOrder = z.looseObject({
  movementOrderId: z.string(),
  movementType: z.string().describe('e.g. replenishment, relocation.'),
  lines: z.array(z.looseObject({ sku, fromLocation: location, toLocation: location, quantity })),
});

const productionOrder = z.looseObject({
  productionOrderId: z.string(),
  productionType: z.string().optional(),
  status: z.string(),
  product: z.looseObject({ sku, quantity }),
  components: z.array(z.looseObject({ sku, quantity })),
});

const article = z.looseObject({
  sku,
  description: z.string(),
  ean: z.string().optional(),
  unit: z.string().optional(),
});

const articleItemVersion = z.looseObject({
  status,
  location: location.optional(),
  batch: z.string().optional(),
  bestBefore: z.string().optional().describe('ISO date.'),
  quantity,
});

const returnOrder = z.looseObject({
  returnOrderId: z.string(),
  orderId: z.string().optional(),
  returnReason: z.string().optional(),
  lines: z.array(z.looseObject({ sku, quantity })),
});

const shipment = z.looseObject({
  shipmentId: z.string(),
  transporterCode: z.string().optional(),
  trackingNumber: z.string().optional(),
  status: z.string(),
});

export const payloads = {
  order,
  orderStatusChanged: order.extend(statusChange),
  purchaseOrder,
  purchaseOrderStatusChanged: purchaseOrder.extend(statusChange),
  purchaseOrderLine: purchaseOrderLine.extend({ purchaseOrderId: z.string(), supplierCode: z.string() }),
  pickOrder,
  movementOrder,
  productionOrder,
  productionOrderStatusChanged: productionOrder.extend(statusChange),
  article,
  articleDeleted: z.looseObject({ sku }),
  articleItemStatusChanged: z.looseObject({
    articleItemId: z.string(),
    sku,
    ...statusChange,
    previous: articleItemVersion.describe('The article item before the change.'),
    current: articleItemVersion.describe('The article item after the change.'),
  }),
  inventoryAdjusted: z.looseObject({
    sku,
    location,
    quantityBefore: quantity,
    quantityAfter: quantity,
    reasonCode: z.string(),
  }),
  inventoryTransaction: z.looseObject({
    transactionId: z.string(),
    transactionType: z.string().describe('e.g. receipt, pick, correction, transfer.'),
    sku,
    location,
    quantity: z.number().int().describe('Signed: negative takes stock out.'),
    reasonCode: z.string().optional(),
  }),
  returnOrder,
  shipmentStatusChanged: shipment.extend(statusChange),
} as const;

export type PayloadSchema = (typeof payloads)[keyof typeof payloads];
