import type { DeliveryTask } from '@wms-webhooks/contracts';
import {
  composeFailureEmail,
  composeRecoveryEmail,
  type FailureEmail,
  type WebhookContact,
} from './failure-email';
import { noticeFromDeadLetter } from './failure-notice';
import type { NoticeState, NoticeStore } from './notice-store';

export interface NotifierDeps {
  store: NoticeStore;
  contactOf: (webhookId: string) => Promise<WebhookContact | undefined>;
  send: (email: FailureEmail) => Promise<void>;
  now: () => number;
  /** At most one email per webhook per this interval (an hour). */
  intervalMs: number;
  logsUrl: (webhookId: string) => string;
  /** Each webhook's last attempt across every writer, from the writers' counts (not the log). */
  lastAttemptOf: (
    webhookIds: readonly string[],
  ) => Promise<Map<string, { lastOutcome: 'succeeded' | 'failed' | null; lastAttemptAt: Date | null }>>;
  onEmail?: (event: {
    webhookId: string;
    kind: 'failure' | 'recovery';
    outcome: 'sent' | 'failed';
    failures: number;
    error?: unknown;
  }) => void;
}

function isDue(state: NoticeState, now: number, intervalMs: number): boolean {
  return (
    state.pending.length > 0 && (state.lastSentAt === null || now - state.lastSentAt.getTime() >= intervalMs)
  );
}

/**
 * Sends one webhook's pending failures as one email. They are claimed first (see NoticeStore.claim); a
 * send that fails puts them back for the next flush; a webhook deleted meanwhile has its queue dropped.
 */
async function flush(deps: NotifierDeps, state: NoticeState): Promise<void> {
  const contact = await deps.contactOf(state.webhookId);
  if (!contact) return deps.store.forget(state.webhookId);
  if (!(await deps.store.claim(state, new Date(deps.now())))) return;
  const email = composeFailureEmail(contact, state.pending, {
    logsUrl: deps.logsUrl(state.webhookId),
    omitted: state.omitted,
  });
  const failures = state.pending.length + state.omitted;
  try {
    await deps.send(email);
  } catch (error) {
    await deps.store.release(state);
    deps.onEmail?.({ webhookId: state.webhookId, kind: 'failure', outcome: 'failed', failures, error });
    return;
  }
  deps.onEmail?.({ webhookId: state.webhookId, kind: 'failure', outcome: 'sent', failures });
}

/**
 * Whether a webhook owed a recovery email has earned it: no failure waiting for an email, and its last
 * attempt, later than the last failure email, succeeded. Its delivery time, or undefined.
 */
export function recoveredAt(
  state: NoticeState,
  last: { lastOutcome: 'succeeded' | 'failed' | null; lastAttemptAt: Date | null } | undefined,
): Date | undefined {
  if (!state.owesRecovery || state.pending.length > 0 || state.omitted > 0) return undefined;
  if (last?.lastOutcome !== 'succeeded' || !last.lastAttemptAt) return undefined;
  if (state.lastSentAt && last.lastAttemptAt.getTime() <= state.lastSentAt.getTime()) return undefined;
  return last.lastAttemptAt;
}

/** Every webhook that was sent failure emails and delivers again gets one email saying so. */
export async function flushRecoveries(deps: NotifierDeps): Promise<void> {
  const owing = await deps.store.owingRecovery();
  if (owing.length === 0) return;
  const last = await deps.lastAttemptOf(owing.map((state) => state.webhookId));
  for (const state of owing) {
    const deliveredAt = recoveredAt(state, last.get(state.webhookId));
    if (!deliveredAt) continue;
    const contact = await deps.contactOf(state.webhookId);
    if (!contact) {
      await deps.store.forget(state.webhookId);
      continue;
    }
    if (!(await deps.store.claimRecovery(state))) continue;
    const email = composeRecoveryEmail(contact, deliveredAt, { logsUrl: deps.logsUrl(state.webhookId) });
    try {
      await deps.send(email);
    } catch (error) {
      await deps.store.releaseRecovery(state.webhookId);
      deps.onEmail?.({ webhookId: state.webhookId, kind: 'recovery', outcome: 'failed', failures: 0, error });
      continue;
    }
    deps.onEmail?.({ webhookId: state.webhookId, kind: 'recovery', outcome: 'sent', failures: 0 });
  }
}

/**
 * Dead letters of one batch: each is queued durably for its webhook (so the batch may be committed), and
 * a webhook whose last email is an hour old or more is emailed at once.
 */
export async function recordDeadLetters(deps: NotifierDeps, tasks: readonly DeliveryTask[]): Promise<void> {
  const byWebhook = new Map<string, DeliveryTask[]>();
  for (const task of tasks) {
    if (task.test) continue;
    byWebhook.set(task.webhookId, [...(byWebhook.get(task.webhookId) ?? []), task]);
  }
  for (const [webhookId, failed] of byWebhook) {
    const state = await deps.store.add(webhookId, failed.map(noticeFromDeadLetter));
    if (isDue(state, deps.now(), deps.intervalMs)) await flush(deps, state);
  }
}

/** The digest run: every webhook whose hour is up and that has failures waiting gets its email. */
export async function flushDueNotices(deps: NotifierDeps): Promise<void> {
  for (const state of await deps.store.due(new Date(deps.now()), deps.intervalMs)) {
    await flush(deps, state);
  }
}
