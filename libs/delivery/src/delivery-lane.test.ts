import { describe, expect, it } from 'vitest';
import { deliveryLane } from './delivery-lane';

const ids = Array.from({ length: 400 }, (_, index) => `delivery-${index}`);

describe('deliveryLane', () => {
  describe('when a webhook allows one delivery at a time', () => {
    it('puts every delivery in one lane, the webhook id, so they stay in order', () => {
      expect(new Set(ids.map((id) => deliveryLane({ id: 'wh', maxConcurrency: 1 }, id)))).toEqual(
        new Set(['wh']),
      );
    });
  });

  describe('when a webhook allows four', () => {
    const lanes = ids.map((id) => deliveryLane({ id: 'wh', maxConcurrency: 4 }, id));

    it('spreads its deliveries over exactly four lanes', () => {
      expect(new Set(lanes)).toEqual(new Set(['wh#0', 'wh#1', 'wh#2', 'wh#3']));
      for (const lane of new Set(lanes))
        expect(lanes.filter((each) => each === lane).length).toBeGreaterThan(60);
    });

    it('keeps a delivery in the same lane on every attempt', () => {
      expect(ids.map((id) => deliveryLane({ id: 'wh', maxConcurrency: 4 }, id))).toEqual(lanes);
    });
  });
});
