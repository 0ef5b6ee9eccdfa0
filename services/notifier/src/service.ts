import { loadConfig } from '@wms-webhooks/config';
import type { DeliveryTask } from '@wms-webhooks/contracts';
import { readActivity } from '@wms-webhooks/delivery';
import {
  flushDueNotices,
  followUpWebhooks,
  NoticeStore,
  type NotifierDeps,
  recordDeadLetters,
  startDigestFlushes,
} from '@wms-webhooks/notifications';
import { consume, createServiceContext, decodedRecords, serveConsumer } from '@wms-webhooks/service-runtime';
import { createWebhookDisabler, WebhookContacts } from '@wms-webhooks/webhooks';
import { createTransport } from 'nodemailer';
import { Counter } from 'prom-client';
import { notifierEnv } from './env';

export async function startNotifier(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(notifierEnv, env);
  const context = await createServiceContext('notifier', config);
  const { logger, metrics, topics } = context;
  const emails = new Counter({
    name: 'wms_webhooks_failure_emails_total',
    help: 'Failure emails by outcome (sent, failed: SMTP refused or unreachable; retried at the next flush).',
    labelNames: ['outcome'],
    registers: [metrics],
  });
  const recoveryEmails = new Counter({
    name: 'wms_webhooks_recovery_emails_total',
    help: 'Emails saying a webhook delivers again after failure emails, by outcome (sent, failed: retried at the next flush).',
    labelNames: ['outcome'],
    registers: [metrics],
  });
  const store = new NoticeStore(context.db);
  await store.ensureIndexes();
  const contacts = new WebhookContacts(context.db);
  const smtp = new URL(config.SMTP_URL);
  // nodemailer's defaults wait minutes on a silent server; a dead-letter batch should not.
  const transport = createTransport({
    host: smtp.hostname,
    port: smtp.port ? Number(smtp.port) : undefined,
    secure: smtp.protocol === 'smtps:',
    auth: smtp.username
      ? { user: decodeURIComponent(smtp.username), pass: decodeURIComponent(smtp.password) }
      : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  const deps: NotifierDeps = {
    store,
    contactOf: (id) => contacts.find(id),
    send: async (email) => void (await transport.sendMail({ from: config.NOTIFY_FROM, ...email })),
    now: Date.now,
    intervalMs: config.NOTIFY_INTERVAL_MS,
    logsUrl: (id) => `${config.WEBHOOKS_UI_URL}/#/webhooks/${id}/logs`,
    activityOf: (ids) => readActivity(context.db, ids, Date.now()),
    autoDisableAfterMs: config.WEBHOOKS_AUTO_DISABLE_AFTER_HOURS * 3_600_000,
    disable: createWebhookDisabler(context),
    onEmail: ({ webhookId, kind, outcome, failures, error }) => {
      (kind === 'failure' ? emails : recoveryEmails).inc({ outcome });
      if (error) logger.error({ err: error, webhookId, failures }, `${kind} email not sent; retried later`);
      else logger.info({ webhookId, failures }, `${kind} email sent`);
    },
  };

  const digests = startDigestFlushes(
    async () => {
      await flushDueNotices(deps);
      await followUpWebhooks(deps);
    },
    config.NOTIFY_FLUSH_EVERY_MS,
    (error) => logger.error({ err: error }, 'digest flush failed; tried again next time'),
  );

  const { consumer, group } = await consume<DeliveryTask>(context, {
    groupId: config.NOTIFIER_GROUP_ID,
    topic: topics.dead,
    prepare: decodedRecords((record) => context.quarantine.decode<DeliveryTask>(record)),
    handle: (tasks) => recordDeadLetters(deps, tasks),
  });
  const { ops, shutdownSteps } = await serveConsumer({
    context,
    host: config.OPS_HOST,
    port: config.OPS_PORT,
    consumer,
    group,
    inFlight: 'the batch in flight',
    stopSteps: [
      {
        name: 'stop the digest timer (finishes a flush in progress)',
        run: () => digests.stop(),
      },
    ],
    release: () => transport.close(),
  });
  logger.info({ ops: ops.url, smtp: smtp.host }, 'notifier running');
  return { context, ops, shutdownSteps, timeoutMs: config.SHUTDOWN_TIMEOUT_MS };
}
