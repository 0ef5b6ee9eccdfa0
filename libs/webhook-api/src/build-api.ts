import Fastify, { type FastifyInstance } from 'fastify';
import { registerAdminUi } from './admin-ui';
import type { ApiDeps } from './api-deps';
import { registerAuthentication } from './authenticate';
import { registerCatalogueRoutes } from './catalogue-routes';
import { registerKeyRoutes } from './key-routes';
import { registerLogRoutes } from './log-routes';
import { registerOpenApi } from './openapi';
import { createQuotaGuard, type Quotas, registerQuotaRoute } from './quotas';
import { registerReplayRoutes } from './replay-routes';
import { type ApiLimits, registerConcurrencyBound, serverOptions } from './request-limits';
import { registerWebhookRoutes } from './webhook-routes';

/**
 * The definitions API, behind API keys, and the admin UI. Malformed JSON and other request errors answer 400 in the same
 * shape as validation.
 */
export async function buildApi(
  deps: ApiDeps,
  options: { limits: ApiLimits; quotas: Quotas; logger?: boolean | object; uiDir?: string },
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 256 * 1024,
    ...serverOptions(options.limits),
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply
        .code(status)
        .send({ error: 'invalid request', problems: [{ field: '(body)', message: error.message }] });
    }
    reply.log.error(error);
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'no such route' }));
  acceptEmptyJsonBodies(app);
  registerConcurrencyBound(app, options.limits, deps.countRefusal);
  registerAuthentication(app, deps, options.limits.authFailuresPerMinute);
  const quota = createQuotaGuard(options.quotas, deps);
  registerOpenApi(app);
  registerWebhookRoutes(app, deps, quota);
  registerLogRoutes(app, deps, quota);
  registerReplayRoutes(app, deps, quota);
  registerQuotaRoute(app, deps, options.quotas);
  registerKeyRoutes(app, deps);
  registerCatalogueRoutes(app);
  await registerAdminUi(app, options.uiDir);
  return app;
}

/**
 * Many HTTP clients send `Content-Type: application/json` on a POST without a body (Test, Resend, a
 * rotation): that is no body, not malformed JSON. Anything else goes to Fastify's own parser, with its
 * prototype-poisoning checks.
 */
function acceptEmptyJsonBodies(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return parseJson(request, String(body), done);
  });
}
