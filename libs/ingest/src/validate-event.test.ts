import { InvalidInputError } from '@wms-webhooks/errors';
import { describe, expect, it } from 'vitest';
import { validateWmsEvent } from './validate-event';

const valid = {
  eventId: '6f1c1f52-3d0e-4b0f-9a57-3c5f2d1e8a10',
  eventType: 'order.picked',
  occurredAt: 1_795_000_000_000,
  goodsOwnerId: 42,
  warehouseId: null,
  entityId: 'ORD-1',
  attributes: {},
  payload: '{"orderId":"ORD-1"}',
};
const limits = { maxPayloadBytes: 64 };

function rejection(candidate: unknown) {
  try {
    validateWmsEvent(candidate, limits);
  } catch (error) {
    if (error instanceof InvalidInputError) return { code: error.code, field: error.field };
    throw error;
  }
  return undefined;
}

describe('validateWmsEvent', () => {
  it('accepts a well-formed event of a known type', () => {
    expect(validateWmsEvent(valid, limits)).toEqual(valid);
  });

  it.each([
    [{ eventId: 'not-a-uuid' }, 'invalid-field', 'eventId'],
    [{ eventType: 'order.teleported' }, 'unknown-event-type', 'eventType'],
    [{ occurredAt: 0 }, 'invalid-field', 'occurredAt'],
    [{ goodsOwnerId: -1 }, 'invalid-field', 'goodsOwnerId'],
    [{ entityId: '' }, 'invalid-field', 'entityId'],
    [{ payload: '{oops' }, 'payload-not-json', 'payload'],
    [{ payload: JSON.stringify({ pad: 'x'.repeat(100) }) }, 'payload-too-large', 'payload'],
  ])('rejects %j as invalid input %s on %s', (override, code, field) => {
    expect(rejection({ ...valid, ...override })).toEqual({ code, field });
  });
});
