/**
 * The realistic entities the catalogue's samples are built from: what Test sends, varied by status.
 * Each sample fits its type's payload schema (catalogue-documents.test.ts).
 */
export const orderAttributes = { transporterCode: 'DHL', orderType: 'B2C' };
export const order = (status: string) => ({
  orderId: 'ORD-TEST-0001',
  externalReference: 'SHOP-12345',
  status,
  transporterCode: 'DHL',
  orderType: 'B2C',
  lines: [
    { lineNumber: 1, sku: 'SKU-RED-M', quantity: 2 },
    { lineNumber: 2, sku: 'SKU-BLUE-L', quantity: 1 },
  ],
});
export const orderSample = (status: string) => ({
  entityId: 'ORD-TEST-0001',
  attributes: orderAttributes,
  payload: order(status),
});

export const purchaseOrder = (status: string, received?: number) => ({
  purchaseOrderId: 'PO-TEST-0001',
  supplierCode: 'ACME',
  orderType: 'STANDARD',
  status,
  lines: [{ lineNumber: 1, sku: 'SKU-RED-M', quantityOrdered: 24, quantityReceived: received }],
});
export const purchaseOrderSample = (status: string, received?: number) => ({
  entityId: 'PO-TEST-0001',
  attributes: { supplierCode: 'ACME', orderType: 'STANDARD' },
  payload: purchaseOrder(status, received),
});
export const purchaseOrderLineSample = (quantityOrdered: number) => ({
  entityId: 'PO-TEST-0001:1',
  attributes: { supplierCode: 'ACME' },
  payload: {
    purchaseOrderId: 'PO-TEST-0001',
    supplierCode: 'ACME',
    lineNumber: 1,
    sku: 'SKU-RED-M',
    quantityOrdered,
  },
});

export const pickOrderSample = (picked: boolean) => ({
  entityId: 'PICK-TEST-0001',
  attributes: orderAttributes,
  payload: {
    pickOrderId: 'PICK-TEST-0001',
    orderIds: ['ORD-TEST-0001'],
    transporterCode: 'DHL',
    orderType: 'B2C',
    lines: [{ sku: 'SKU-RED-M', location: 'A-01-02', quantity: 2, ...(picked ? { quantityPicked: 2 } : {}) }],
  },
});

export const movementOrderSample = {
  entityId: 'MOV-TEST-0001',
  attributes: { movementType: 'replenishment' },
  payload: {
    movementOrderId: 'MOV-TEST-0001',
    movementType: 'replenishment',
    lines: [{ sku: 'SKU-RED-M', fromLocation: 'R-10-01', toLocation: 'A-01-02', quantity: 24 }],
  },
};

export const productionOrder = (status: string) => ({
  productionOrderId: 'PRD-TEST-0001',
  productionType: 'kitting',
  status,
  product: { sku: 'KIT-GIFT-1', quantity: 10 },
  components: [
    { sku: 'SKU-RED-M', quantity: 10 },
    { sku: 'BOX-S', quantity: 10 },
  ],
});

export const article = {
  sku: 'SKU-RED-M',
  description: 'T-shirt red M',
  ean: '8712345678906',
  unit: 'piece',
};
export const shipment = (id: string) => ({
  shipmentId: id,
  transporterCode: 'DHL',
  trackingNumber: 'JVGL0123456789',
  status: '400',
  fromStatus: '200',
  toStatus: '400',
});
export const statusChanged = { fromStatus: '200', toStatus: '400' };
