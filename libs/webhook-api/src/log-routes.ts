import { InvalidCursorError } from '@wms-webhooks/delivery';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps';
import { badRequest, isUuid, notFound, type Problem } from './problems';

type LogQuery = { outcome?: string; limit?: string; cursor?: string };

export function registerLogRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Params: { id: string }; Querystring: LogQuery }>(
    '/api/webhooks/:id/logs',
    async (request, reply) => {
      const { id } = request.params;
      const { outcome, limit = '50', cursor } = request.query;
      const problems: Problem[] = [];
      if (outcome !== undefined && outcome !== 'succeeded' && outcome !== 'failed') {
        problems.push({ field: 'outcome', message: 'must be "succeeded" or "failed"' });
      }
      if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 200) {
        problems.push({ field: 'limit', message: 'must be a whole number from 1 to 200' });
      }
      if (problems.length > 0) return badRequest(reply, problems);
      if (!isUuid(id) || !(await deps.webhooks.findById(id))) return notFound(reply, 'webhook');
      try {
        const page = await deps.attemptLogs.page(id, {
          outcome: outcome as 'succeeded' | 'failed' | undefined,
          limit: Number(limit),
          cursor,
        });
        return {
          items: page.items.map((item) => ({
            deliveryId: item.deliveryId,
            eventId: item.eventId,
            eventType: item.eventType,
            attempt: item.attempt,
            dueAt: item.dueAt?.toISOString() ?? null,
            startedAt: item.startedAt.toISOString(),
            durationMs: item.durationMs,
            outcome: item.outcome,
            statusCode: item.statusCode,
            error: item.error,
            errorKind: item.errorKind,
            test: item.test,
            final: item.final,
            nextAttemptAt: item.nextAttemptAt?.toISOString() ?? null,
          })),
          nextCursor: page.nextCursor,
        };
      } catch (error) {
        if (error instanceof InvalidCursorError)
          return badRequest(reply, [{ field: 'cursor', message: error.message }]);
        throw error;
      }
    },
  );
}
