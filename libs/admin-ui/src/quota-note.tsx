import { useEffect, useState } from 'react';
import type { Api } from './api-client';
import type { QuotaView } from './types';

/** The limits a goods-owner key works within, so a 429 or 403 is no surprise. */
export function QuotaNote({ api, refresh }: { api: Api; refresh: unknown }) {
  const [quotas, setQuotas] = useState<QuotaView>();
  useEffect(() => {
    void refresh;
    api<QuotaView>('/api/quotas').then(setQuotas, () => setQuotas(undefined));
  }, [api, refresh]);
  if (!quotas) return null;
  const rates = `${quotas.createsPerMinute} new webhooks, ${quotas.testsPerMinute} Test, Resend or Replay presses and ${quotas.rotationsPerMinute} secret rotations a minute`;
  if (!quotas.bindsThisKey) {
    return (
      <p className="note" role="note" aria-label="Quotas">
        Goods-owner keys may hold {quotas.webhooksPerGoodsOwner} webhooks per goods owner, and per owner{' '}
        {rates}; admin keys are not bound.
      </p>
    );
  }
  return (
    <p className="note" role="note" aria-label="Quotas">
      Quotas per goods owner:{' '}
      {quotas.goodsOwners
        .map(
          ({ goodsOwnerId, webhooks }) =>
            `${goodsOwnerId}: ${webhooks} of ${quotas.webhooksPerGoodsOwner} webhooks`,
        )
        .join('; ')}
      ; and {rates}.
    </p>
  );
}
