import type { z } from 'zod';
import { type PayloadSchema, payloads } from './event-payloads';
import {
  article,
  movementOrderSample,
  order,
  orderAttributes,
  orderSample,
  pickOrderSample,
  productionOrder,
  purchaseOrder,
  purchaseOrderLineSample,
  purchaseOrderSample,
  shipment,
  statusChanged,
} from './event-samples';

export interface EventTypeSpec {
  type: string;
  description: string;
  /** Attributes a webhook's filters may name: from WmsEvent.attributes, and `warehouseId` from the event. */
  filterableAttributes: readonly string[];
  /** What `data` holds; published as JSON Schema. */
  payload: PayloadSchema;
  /** What Test sends: a realistic event of this type. */
  sample: { entityId: string; attributes: Record<string, string>; payload: Record<string, unknown> };
}

/** What each filter matches on, as the catalogue and the form describe it. */
export const filterDescriptions: Readonly<Record<string, string>> = {
  warehouseId: "The event's warehouse, e.g. AMS-1.",
  transporterCode: 'The transporter (carrier), e.g. DHL.',
  orderType: 'The order type, e.g. B2C.',
  supplierCode: 'The supplier of a purchase order.',
  movementType: 'The kind of movement, e.g. replenishment.',
  productionType: 'The kind of production order.',
  transactionType: 'The kind of inventory transaction, e.g. receipt, pick, correction.',
  reasonCode: 'Why stock changed, e.g. cycle_count.',
  returnReason: 'Why goods came back, e.g. damaged.',
  fromStatus: 'The status before the change, e.g. "200". Leave it out to match any.',
  toStatus: 'The status after the change, e.g. "400". Leave it out to match any.',
};

/**
 * One catalogue entry. Every type filters on warehouse; every `*.status_changed` type on the statuses it
 * changed from and to, which its events carry as the attributes `fromStatus` and `toStatus`.
 */
function define<Schema extends PayloadSchema>(
  type: string,
  description: string,
  payload: Schema,
  filters: readonly string[],
  sample: { entityId: string; attributes?: Record<string, string>; payload: z.input<Schema> },
): EventTypeSpec {
  const statusChange = type.endsWith('.status_changed') ? ['fromStatus', 'toStatus'] : [];
  return {
    type,
    description,
    filterableAttributes: [...filters, 'warehouseId', ...statusChange],
    payload,
    sample: {
      entityId: sample.entityId,
      attributes: sample.attributes ?? {},
      payload: sample.payload as Record<string, unknown>,
    },
  };
}

const orderFilters = ['transporterCode', 'orderType'];
const purchaseOrderFilters = ['supplierCode', 'orderType'];

/** Every event type WMS services may publish, in one place: the matcher, the API and Test all read it. */
export const eventTypes: readonly EventTypeSpec[] = [
  define('order.created', 'An order was created.', payloads.order, orderFilters, orderSample('100')),
  define(
    'order.picked',
    'All lines of an order were picked.',
    payloads.order,
    orderFilters,
    orderSample('picked'),
  ),
  define(
    'order.shipped',
    'An order left the warehouse.',
    payloads.order,
    orderFilters,
    orderSample('shipped'),
  ),
  define('order.status_changed', "An order's status changed.", payloads.orderStatusChanged, orderFilters, {
    entityId: 'ORD-TEST-0001',
    attributes: { ...orderAttributes, ...statusChanged },
    payload: { ...order('400'), ...statusChanged },
  }),
  define(
    'order.cancelled',
    'An order was cancelled.',
    payloads.order,
    orderFilters,
    orderSample('cancelled'),
  ),
  define(
    'purchase_order.created',
    'A purchase order was created: goods are expected.',
    payloads.purchaseOrder,
    purchaseOrderFilters,
    purchaseOrderSample('100'),
  ),
  define(
    'purchase_order.received',
    'Goods of a purchase order were received.',
    payloads.purchaseOrder,
    purchaseOrderFilters,
    purchaseOrderSample('300', 24),
  ),
  define(
    'purchase_order.status_changed',
    "A purchase order's status changed.",
    payloads.purchaseOrderStatusChanged,
    purchaseOrderFilters,
    {
      entityId: 'PO-TEST-0001',
      attributes: { supplierCode: 'ACME', orderType: 'STANDARD', ...statusChanged },
      payload: { ...purchaseOrder('400', 24), ...statusChanged },
    },
  ),
  define(
    'purchase_order_line.created',
    'A line was added to a purchase order.',
    payloads.purchaseOrderLine,
    ['supplierCode'],
    purchaseOrderLineSample(24),
  ),
  define(
    'purchase_order_line.changed',
    'A line of a purchase order changed.',
    payloads.purchaseOrderLine,
    ['supplierCode'],
    purchaseOrderLineSample(36),
  ),
  define(
    'purchase_order_line.deleted',
    'A line was removed from a purchase order.',
    payloads.purchaseOrderLine,
    ['supplierCode'],
    purchaseOrderLineSample(0),
  ),
  define(
    'pick_order.created',
    'A pick order was created for one or more orders.',
    payloads.pickOrder,
    orderFilters,
    pickOrderSample(false),
  ),
  define(
    'pick_order.started',
    'Picking of a pick order started.',
    payloads.pickOrder,
    orderFilters,
    pickOrderSample(false),
  ),
  define(
    'pick_order.executed',
    'A pick order was picked in full.',
    payloads.pickOrder,
    orderFilters,
    pickOrderSample(true),
  ),
  define(
    'movement_order.created',
    'A movement order was created.',
    payloads.movementOrder,
    ['movementType'],
    movementOrderSample,
  ),
  define(
    'movement_order.updated',
    'A movement order changed.',
    payloads.movementOrder,
    ['movementType'],
    movementOrderSample,
  ),
  define(
    'movement_order.executed',
    'A movement order was carried out: the stock moved.',
    payloads.movementOrder,
    ['movementType'],
    movementOrderSample,
  ),
  define(
    'movement_order.deleted',
    'A movement order was removed before it was carried out.',
    payloads.movementOrder,
    ['movementType'],
    movementOrderSample,
  ),
  define(
    'production_order.created',
    'A production (kitting, assembly) order was created.',
    payloads.productionOrder,
    ['productionType'],
    {
      entityId: 'PRD-TEST-0001',
      attributes: { productionType: 'kitting' },
      payload: productionOrder('100'),
    },
  ),
  define(
    'production_order.status_changed',
    "A production order's status changed.",
    payloads.productionOrderStatusChanged,
    ['productionType'],
    {
      entityId: 'PRD-TEST-0001',
      attributes: { productionType: 'kitting', ...statusChanged },
      payload: { ...productionOrder('400'), ...statusChanged },
    },
  ),
  define('article.created', 'An article was created.', payloads.article, [], {
    entityId: 'SKU-RED-M',
    payload: article,
  }),
  define('article.updated', 'Article master data changed.', payloads.article, [], {
    entityId: 'SKU-RED-M',
    payload: article,
  }),
  define('article.deleted', 'An article was deleted.', payloads.articleDeleted, [], {
    entityId: 'SKU-RED-M',
    payload: { sku: 'SKU-RED-M' },
  }),
  define(
    'article_item.status_changed',
    "An article item's status changed (e.g. released, blocked): the item before and after.",
    payloads.articleItemStatusChanged,
    [],
    {
      entityId: 'ITEM-TEST-0001',
      attributes: statusChanged,
      payload: {
        articleItemId: 'ITEM-TEST-0001',
        sku: 'SKU-RED-M',
        ...statusChanged,
        previous: {
          status: '200',
          location: 'Q-01-01',
          batch: 'B2026-11',
          bestBefore: '2027-06-30',
          quantity: 24,
        },
        current: {
          status: '400',
          location: 'A-01-02',
          batch: 'B2026-11',
          bestBefore: '2027-06-30',
          quantity: 24,
        },
      },
    },
  ),
  define('inventory.adjusted', 'Stock was corrected.', payloads.inventoryAdjusted, ['reasonCode'], {
    entityId: 'SKU-RED-M',
    attributes: { reasonCode: 'cycle_count' },
    payload: {
      sku: 'SKU-RED-M',
      location: 'A-01-02',
      quantityBefore: 10,
      quantityAfter: 9,
      reasonCode: 'cycle_count',
    },
  }),
  define(
    'inventory.transaction',
    'Stock moved in or out of a location: one inventory transaction.',
    payloads.inventoryTransaction,
    ['transactionType', 'reasonCode'],
    {
      entityId: 'TRX-TEST-0001',
      attributes: { transactionType: 'pick' },
      payload: {
        transactionId: 'TRX-TEST-0001',
        transactionType: 'pick',
        sku: 'SKU-RED-M',
        location: 'A-01-02',
        quantity: -2,
      },
    },
  ),
  define(
    'return_order.received',
    'A return arrived at the warehouse.',
    payloads.returnOrder,
    ['returnReason'],
    {
      entityId: 'RET-TEST-0001',
      attributes: { returnReason: 'damaged' },
      payload: {
        returnOrderId: 'RET-TEST-0001',
        orderId: 'ORD-TEST-0001',
        returnReason: 'damaged',
        lines: [{ sku: 'SKU-RED-M', quantity: 1 }],
      },
    },
  ),
  define(
    'inbound_shipment.status_changed',
    "An inbound shipment's status changed (e.g. announced, arrived, unloaded).",
    payloads.shipmentStatusChanged,
    ['transporterCode'],
    {
      entityId: 'IN-TEST-0001',
      attributes: { transporterCode: 'DHL', ...statusChanged },
      payload: shipment('IN-TEST-0001'),
    },
  ),
  define(
    'outbound_shipment.status_changed',
    "An outbound shipment's status changed (e.g. loaded, handed to the transporter).",
    payloads.shipmentStatusChanged,
    ['transporterCode'],
    {
      entityId: 'OUT-TEST-0001',
      attributes: { transporterCode: 'DHL', ...statusChanged },
      payload: shipment('OUT-TEST-0001'),
    },
  ),
];

const byType = new Map(eventTypes.map((spec) => [spec.type, spec]));

export function eventTypeSpec(type: string): EventTypeSpec | undefined {
  return byType.get(type);
}
