import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from './api-deps';
import { quotasAnswer } from './api-schemas';
import { documented } from './openapi';
import { RateLimiter } from './rate-limit';

/** What a goods-owner key may do per goods owner; admin keys are not bound. */
export interface Quotas {
  webhooksPerGoodsOwner: number;
  createsPerMinute: number;
  /** Test, Resend and Replay presses: each sends on demand. */
  testsPerMinute: number;
  rotationsPerMinute: number;
}

export type RatedAction = 'create' | 'test' | 'rotate';

const described: Record<RatedAction, string> = {
  create: 'webhooks created',
  test: 'Test, Resend and Replay presses',
  rotate: 'signing secret rotations',
};

export interface QuotaGuard {
  /** Whether every owner may have one more webhook; if not, 403 has been answered. */
  admitCount(
    request: FastifyRequest,
    reply: FastifyReply,
    goodsOwnerIds: readonly number[],
  ): Promise<boolean>;
  /** Whether the action fits every owner's rate; if not, 429 with Retry-After has been answered. */
  admitRate(
    request: FastifyRequest,
    reply: FastifyReply,
    action: RatedAction,
    goodsOwnerIds: readonly number[],
  ): Promise<boolean>;
}

export function createQuotaGuard(
  quotas: Quotas,
  deps: Pick<ApiDeps, 'webhooks' | 'now' | 'countRefusal'>,
): QuotaGuard {
  const limiters: Record<RatedAction, RateLimiter> = {
    create: new RateLimiter(quotas.createsPerMinute),
    test: new RateLimiter(quotas.testsPerMinute),
    rotate: new RateLimiter(quotas.rotationsPerMinute),
  };
  return {
    async admitCount(request, reply, goodsOwnerIds) {
      if (request.principal.role !== 'goods-owner') return true;
      for (const owner of goodsOwnerIds) {
        const count = await deps.webhooks.countForGoodsOwner(owner);
        if (count >= quotas.webhooksPerGoodsOwner) {
          deps.countRefusal('quota-webhooks');
          await reply.code(403).send({
            error: `quota reached: goods owner ${owner} has ${count} webhooks, the most WEBHOOKS_QUOTA_WEBHOOKS_PER_GOODS_OWNER allows; delete one first`,
          });
          return false;
        }
      }
      return true;
    },
    async admitRate(request, reply, action, goodsOwnerIds) {
      if (request.principal.role !== 'goods-owner') return true;
      const limiter = limiters[action];
      const wait = limiter.take(
        goodsOwnerIds.map((owner) => String(owner)),
        deps.now(),
      );
      if (wait === undefined) return true;
      deps.countRefusal(`quota-${action}`);
      await reply
        .code(429)
        .header('retry-after', String(wait))
        .send({
          error: `quota reached: goods owner ${goodsOwnerIds.join(', ')} may have ${limiter.perMinute} ${described[action]} a minute; retry in ${wait} s`,
        });
      return false;
    },
  };
}

/** The limits, so the UI can show them, and for a goods-owner key where each of its owners stands. */
export function registerQuotaRoute(app: FastifyInstance, deps: ApiDeps, quotas: Quotas) {
  app.get(
    '/api/quotas',
    documented({
      operationId: 'getQuotas',
      summary: 'The quotas, and for a goods-owner key where each of its goods owners stands',
      tag: 'keys',
      responses: { 200: { description: 'The quotas.', schema: quotasAnswer } },
    }),
    async (request) => {
      const { principal } = request;
      const owners = principal.role === 'goods-owner' ? principal.goodsOwnerIds : [];
      return {
        ...quotas,
        bindsThisKey: principal.role === 'goods-owner',
        goodsOwners: await Promise.all(
          owners.map(async (goodsOwnerId) => ({
            goodsOwnerId,
            webhooks: await deps.webhooks.countForGoodsOwner(goodsOwnerId),
          })),
        ),
      };
    },
  );
}
