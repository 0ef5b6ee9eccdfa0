import { describe, expect, it } from 'vitest';
import { accessToGoodsOwner, accessToWebhook, type Principal } from './principal';

const admin: Principal = { keyId: 'a', name: 'admin', role: 'admin' };
const acme: Principal = { keyId: 'k', name: 'acme', role: 'goods-owner', goodsOwnerIds: [1, 2] };

describe('a goods-owner key', () => {
  it('reaches a regular webhook of its own owner', () => {
    expect(accessToWebhook(acme, { goodsOwnerIds: [2], allGoodsOwners: false })).toEqual({ allowed: true });
  });

  it('reaches an automation webhook whose owners it all holds', () => {
    expect(accessToWebhook(acme, { goodsOwnerIds: [1, 2], allGoodsOwners: false }).allowed).toBe(true);
  });

  it('does not reach an automation webhook spanning an owner it lacks, and names that owner', () => {
    expect(accessToWebhook(acme, { goodsOwnerIds: [1, 3], allGoodsOwners: false })).toEqual({
      allowed: false,
      reason: 'this key does not hold goods owner(s) 3',
    });
  });

  it('does not reach an all-owners webhook', () => {
    expect(accessToWebhook(acme, { goodsOwnerIds: [], allGoodsOwners: true }).allowed).toBe(false);
  });

  it('lists only its own owners', () => {
    expect(accessToGoodsOwner(acme, 1).allowed).toBe(true);
    expect(accessToGoodsOwner(acme, 9)).toEqual({
      allowed: false,
      reason: 'this key does not hold goods owner 9',
    });
  });
});

describe('the admin key', () => {
  it('reaches everything', () => {
    expect(accessToWebhook(admin, { goodsOwnerIds: [], allGoodsOwners: true }).allowed).toBe(true);
    expect(accessToGoodsOwner(admin, 9).allowed).toBe(true);
  });
});
