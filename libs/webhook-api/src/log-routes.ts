import {
  type ActivityWindow,
  activityWindows,
  InvalidCursorError,
  type LogItem,
  resendTask,
} from '@wms-webhooks/delivery';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps';
import {
  activityAnswer,
  activityHistoryAnswer,
  activityHistoryQuery,
  attemptDetailAnswer,
  logPageAnswer,
  logQuery,
  manualDeliveryAnswer,
  resendBody,
  retentionAnswer,
} from './api-schemas';
import { documented, problems, webhookIdParam } from './openapi';
import { badRequest, type Problem } from './problems';
import type { QuotaGuard } from './quotas';
import { accessibleWebhook } from './webhook-access';

type LogQuery = { outcome?: string; limit?: string; cursor?: string; deliveryId?: string };

function itemAnswer(item: LogItem) {
  return {
    id: item.id,
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
    replayId: item.replayId ?? null,
    final: item.final,
    nextAttemptAt: item.nextAttemptAt?.toISOString() ?? null,
    resendable: item.resendable,
  };
}

export function registerLogRoutes(app: FastifyInstance, deps: ApiDeps, quota: QuotaGuard) {
  /**
   * How long attempts are kept, for everyone; what the whole log holds, which spans every goods owner,
   * for admins only.
   */
  app.get(
    '/api/logs/retention',
    documented({
      operationId: 'getLogRetention',
      summary: 'How long attempts are kept, and for admins what the log holds',
      tag: 'logs',
      responses: { 200: { description: 'The retention.', schema: retentionAnswer } },
    }),
    async (request) => {
      const stats = request.principal.role === 'admin' ? deps.logStats() : undefined;
      return {
        retentionDays: deps.attemptLogs.retentionMs / 86_400_000,
        bytes: stats?.bytes ?? null,
        oldestAt: stats?.oldestAt?.toISOString() ?? null,
        measuredAt: stats ? new Date(stats.measuredAt).toISOString() : null,
      };
    },
  );

  app.get<{ Params: { id: string }; Querystring: LogQuery }>(
    '/api/webhooks/:id/logs',
    documented({
      operationId: 'listAttempts',
      summary: "A page of a webhook's delivery attempts, newest first",
      tag: 'logs',
      params: webhookIdParam,
      query: logQuery,
      responses: { 200: { description: 'A page.', schema: logPageAnswer }, ...problems(400, 403, 404) },
    }),
    async (request, reply) => {
      const { outcome, limit = '50', cursor, deliveryId } = request.query;
      const problems: Problem[] = [];
      if (outcome !== undefined && outcome !== 'succeeded' && outcome !== 'failed') {
        problems.push({ field: 'outcome', message: 'must be "succeeded" or "failed"' });
      }
      if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 200) {
        problems.push({ field: 'limit', message: 'must be a whole number from 1 to 200' });
      }
      if (problems.length > 0) return badRequest(reply, problems);
      const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
      if (!webhook) return reply;
      try {
        const page = await deps.attemptLogs.page(webhook.id, {
          outcome: outcome as 'succeeded' | 'failed' | undefined,
          limit: Number(limit),
          cursor,
          deliveryId,
        });
        return { items: page.items.map(itemAnswer), nextCursor: page.nextCursor };
      } catch (error) {
        if (error instanceof InvalidCursorError)
          return badRequest(reply, [{ field: 'cursor', message: error.message }]);
        throw error;
      }
    },
  );

  app.get<{ Params: { id: string; attemptId: string } }>(
    '/api/webhooks/:id/logs/:attemptId',
    documented({
      operationId: 'getAttempt',
      summary: 'One attempt, with the request it sent and the answer it got when it failed',
      tag: 'logs',
      params: { ...webhookIdParam, attemptId: "The attempt's `id`, as the Logs list it." },
      responses: {
        200: { description: 'The attempt.', schema: attemptDetailAnswer },
        ...problems(400, 403, 404),
      },
    }),
    async (request, reply) => {
      const { attemptId } = request.params;
      if (!/^[0-9a-f]{24}$/.test(attemptId)) {
        return badRequest(reply, [
          { field: 'attemptId', message: 'must be the id of an attempt the logs listed' },
        ]);
      }
      const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
      if (!webhook) return reply;
      const detail = await deps.attemptLogs.attemptDetail(webhook.id, attemptId);
      if (!detail) return reply.code(404).send({ error: 'attempt not found (it may be past the retention)' });
      return { ...itemAnswer(detail), url: detail.url, exchange: detail.exchange };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/webhooks/:id/activity',
    documented({
      operationId: 'getActivity',
      summary: "A webhook's last 24 hours: attempts and failures per hour",
      tag: 'logs',
      params: webhookIdParam,
      responses: { 200: { description: 'The activity.', schema: activityAnswer }, ...problems(403, 404) },
    }),
    async (request, reply) => {
      const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
      if (!webhook) return reply;
      return (await deps.webhookActivity([webhook.id])).get(webhook.id);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { window?: string } }>(
    '/api/webhooks/:id/activity/history',
    documented({
      operationId: 'getActivityHistory',
      summary: "A webhook's attempts and failures over 24 hours, 7 days or 30 days",
      description:
        "From the writers' counts and the hours folded from them, never from the log, so it costs the same at any volume.",
      tag: 'logs',
      params: webhookIdParam,
      query: activityHistoryQuery,
      responses: {
        200: { description: 'The history.', schema: activityHistoryAnswer },
        ...problems(400, 403, 404),
      },
    }),
    async (request, reply) => {
      const { window = '24h' } = request.query;
      if (!Object.hasOwn(activityWindows, window)) {
        return badRequest(reply, [{ field: 'window', message: 'must be "24h", "7d" or "30d"' }]);
      }
      const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
      if (!webhook) return reply;
      const history = await deps.activityHistory(webhook.id, window as ActivityWindow);
      return {
        window,
        stepHours: history.stepHours,
        points: history.points.map((point) => ({ ...point, start: point.start.toISOString() })),
      };
    },
  );

  /** Sends a finally failed delivery once more, as it was, with the webhook's current settings. */
  app.post<{ Params: { id: string; deliveryId: string }; Body: { attemptId?: unknown } | undefined }>(
    '/api/webhooks/:id/deliveries/:deliveryId/resend',
    documented({
      operationId: 'resendDelivery',
      summary: 'Send a finally failed delivery once more',
      description: "As it was, with the webhook's current settings; once per failed delivery.",
      tag: 'logs',
      params: { ...webhookIdParam, deliveryId: "The delivery's id, as the Logs list it." },
      body: { schema: resendBody, required: false },
      responses: {
        202: { description: 'Queued.', schema: manualDeliveryAnswer },
        ...problems(400, 403, 404, 409, 429),
      },
    }),
    async (request, reply) => {
      // The attempt the operator saw, if given, is read directly; otherwise the log is searched for the delivery.
      const attemptId = request.body?.attemptId;
      if (attemptId !== undefined && (typeof attemptId !== 'string' || !/^[0-9a-f]{24}$/.test(attemptId))) {
        return badRequest(reply, [
          { field: 'attemptId', message: 'must be the id of an attempt the logs listed' },
        ]);
      }
      const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
      if (!webhook) return reply;
      const attempts = await deps.attemptLogs.attemptsForResend(
        webhook.id,
        request.params.deliveryId,
        attemptId,
      );
      if (attempts.length === 0) return reply.code(404).send({ error: 'delivery not found' });
      if (attempts.some((attempt) => attempt.outcome === 'succeeded')) {
        return reply.code(409).send({ error: 'this delivery already succeeded' });
      }
      const task = resendTask(attempts, deps.now());
      if (!task) {
        return reply
          .code(409)
          .send({ error: 'this delivery has not finally failed (it may still be retrying) or was a test' });
      }
      if (!(await quota.admitRate(request, reply, 'test', webhook.goodsOwnerIds))) return reply;
      const claim = { webhookId: webhook.id, deliveryId: task.deliveryId, attempt: task.attempt };
      if (!(await deps.resendClaims.take(claim))) {
        return reply.code(409).send({ error: 'this delivery was already resent' });
      }
      try {
        await deps.enqueueDelivery(task);
      } catch (error) {
        // Not sent, so the operator may press Resend again.
        await deps.resendClaims.giveBack(claim);
        throw error;
      }
      return reply.code(202).send({ deliveryId: task.deliveryId, attempt: task.attempt });
    },
  );
}
