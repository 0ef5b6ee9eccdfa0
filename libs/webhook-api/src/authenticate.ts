import type { Principal } from '@wms-webhooks/access';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from './api-deps';
import { clientKey, RateLimiter } from './rate-limit';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

function unauthorized(reply: FastifyReply, message: string) {
  return reply.code(401).header('www-authenticate', 'Bearer realm="wms-webhooks"').send({ error: message });
}

/**
 * Every /api route needs `Authorization: Bearer <key>` naming a key that is not revoked. A client address
 * that has used up its failed authentications gets 429 before its key is looked up, so guessing costs the
 * store nothing and gains at most the limit a minute.
 */
export function registerAuthentication(app: FastifyInstance, deps: ApiDeps, authFailuresPerMinute: number) {
  const failures = new RateLimiter(authFailuresPerMinute);
  app.decorateRequest('principal', null as never);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // The matched route decides, so no spelling of a path reaches an /api handler unauthenticated.
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith('/api/') && !request.url.startsWith('/api')) return;
    if (request.routeOptions.config.doc?.public) return;
    const client = clientKey(request.ip);
    const wait = failures.exhausted(client, deps.now());
    if (wait !== undefined) {
      deps.countRefusal('auth-failures');
      return reply
        .code(429)
        .header('retry-after', String(wait))
        .send({
          error: `too many failed authentications from this address; retry in ${wait} s`,
        });
    }
    const failed = (message: string) => {
      failures.spend(client, deps.now());
      return unauthorized(reply, message);
    };
    const header = request.headers.authorization;
    if (!header) return failed('authentication required: send Authorization: Bearer <api key>');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return failed('the Authorization header must be "Bearer <api key>"');
    const principal = await deps.apiKeys.authenticate(match[1] as string);
    if (!principal) return failed('the API key is unknown or revoked');
    request.principal = principal;
  });
}

export function forbidden(reply: FastifyReply, reason: string) {
  return reply.code(403).send({ error: `forbidden: ${reason}` });
}
