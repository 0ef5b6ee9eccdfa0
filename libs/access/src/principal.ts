export type Principal =
  | { keyId: string; name: string; role: 'admin' }
  | { keyId: string; name: string; role: 'goods-owner'; goodsOwnerIds: number[] };

/** The part of a webhook that decides who may see it. */
export interface OwnerScope {
  goodsOwnerIds: number[];
  allGoodsOwners: boolean;
}

export type AccessVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * A scoped key reaches a webhook only if it holds every goods owner the webhook fires for; an automation
 * webhook for all owners, or for owners beyond the key's, is admin-only.
 */
export function accessToWebhook(principal: Principal, scope: OwnerScope): AccessVerdict {
  if (principal.role === 'admin') return { allowed: true };
  if (scope.allGoodsOwners) {
    return { allowed: false, reason: 'webhooks for all goods owners are admin-only' };
  }
  const foreign = scope.goodsOwnerIds.filter((id) => !principal.goodsOwnerIds.includes(id));
  return foreign.length === 0
    ? { allowed: true }
    : { allowed: false, reason: `this key does not hold goods owner(s) ${foreign.join(', ')}` };
}

export function accessToGoodsOwner(principal: Principal, goodsOwnerId: number): AccessVerdict {
  if (principal.role === 'admin' || principal.goodsOwnerIds.includes(goodsOwnerId)) return { allowed: true };
  return { allowed: false, reason: `this key does not hold goods owner ${goodsOwnerId}` };
}
