import type { DeliveryTask } from '@wms-webhooks/contracts';
import {
  composeDisabledEmail,
  composeFailureEmail,
  composeRecoveryEmail,
  type FailureEmail,
  type WebhookContact,
} from './failure-email';
import { noticeFromDeadLetter } from './failure-notice';
import type { NoticeState, NoticeStore } from './notice-store';

export interface ActivitySummary {
  lastOutcome: 'succeeded' | 'failed' | null;
  lastAttemptAt: Date | null;
  hourly: ReadonlyArray<{ hour: Date; attempts: number; failures: number }>;
}

const hourMs = 3_600_000;

export interface NotifierDeps {
  store: NoticeStore;
  contactOf: (webhookId: string) => Promise<WebhookContact | undefined>;
  send: (email: FailureEmail) => Promise<void>;
  now: () => number;
  /** At most one email per webhook per this interval (an hour). */
  intervalMs: number;
  logsUrl: (webhookId: string) => string;
  /** Each webhook's last attempt and last 24 hours across every writer, from their counts (not the log). */
  activityOf: (webhookIds: readonly string[]) => Promise<Map<string, ActivitySummary>>;
  /** A webhook whose every attempt failed this long is disabled; 0 never disables. */
  autoDisableAfterMs: number;
  /** Disables a webhook saying why; false when it was already disabled or is gone. */
  disable: (webhookId: string, reason: string) => Promise<boolean>;
  onEmail?: (event: {
    webhookId: string;
    kind: 'failure' | 'recovery' | 'disabled';
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
  last: Pick<ActivitySummary, 'lastOutcome' | 'lastAttemptAt'> | undefined,
): Date | undefined {
  if (!state.owesRecovery || state.pending.length > 0 || state.omitted > 0) return undefined;
  if (last?.lastOutcome !== 'succeeded' || !last.lastAttemptAt) return undefined;
  if (state.lastSentAt && last.lastAttemptAt.getTime() <= state.lastSentAt.getTime()) return undefined;
  return last.lastAttemptAt;
}

/** Every webhook that was sent failure emails and delivers again gets one email saying so. */
async function sendRecoveries(
  deps: NotifierDeps,
  states: readonly NoticeState[],
  activity: Map<string, ActivitySummary>,
): Promise<void> {
  for (const state of states) {
    const deliveredAt = recoveredAt(state, activity.get(state.webhookId));
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
    // Failing is measured from the first final failure: a delivery still retrying may yet succeed.
    const failedAt = Math.min(...failed.map((task) => task.history.at(-1)?.startedAt ?? task.createdAt));
    const state = await deps.store.add(webhookId, failed.map(noticeFromDeadLetter), new Date(failedAt));
    if (isDue(state, deps.now(), deps.intervalMs)) await flush(deps, state);
  }
}

/** The digest run: every webhook whose hour is up and that has failures waiting gets its email. */
export async function flushDueNotices(deps: NotifierDeps): Promise<void> {
  for (const state of await deps.store.due(new Date(deps.now()), deps.intervalMs)) {
    await flush(deps, state);
  }
}

/**
 * What to do about a webhook failing since `failingSince`: it delivered since (`recovered`: forget when it
 * started failing), every attempt has failed for `afterMs` and the last one too (`disable`), or `wait`.
 * A success in the hour failing began counts as one since: the counts are per hour, and doubt keeps it enabled.
 */
export function failingVerdict(
  state: Pick<NoticeState, 'failingSince'>,
  activity: ActivitySummary | undefined,
  now: number,
  afterMs: number,
): 'recovered' | 'disable' | 'wait' {
  if (!state.failingSince) return 'wait';
  const since = state.failingSince.getTime();
  const fromHour = Math.floor(since / hourMs) * hourMs;
  const delivered =
    activity?.hourly.some((hour) => hour.hour.getTime() >= fromHour && hour.attempts > hour.failures) ||
    (activity?.lastOutcome === 'succeeded' && (activity.lastAttemptAt?.getTime() ?? 0) >= since);
  if (delivered) return 'recovered';
  if (afterMs > 0 && now - since >= afterMs && activity?.lastOutcome === 'failed') return 'disable';
  return 'wait';
}

function hoursText(ms: number): string {
  const hours = ms / hourMs;
  return Number.isInteger(hours) ? String(hours) : hours.toPrecision(2);
}

/** Writes what a state says about failing and disabling on top of whatever else changed meanwhile. */
async function settleFailing(
  deps: NotifierDeps,
  state: NoticeState,
  change: (current: NoticeState) => Pick<NoticeState, 'failingSince' | 'disabledNotice'>,
): Promise<void> {
  for (let current = state; ; current = await deps.store.get(state.webhookId)) {
    if (await deps.store.settleFailing(current, change(current))) return;
  }
}

async function sendDisabledEmail(deps: NotifierDeps, state: NoticeState, reason: string): Promise<void> {
  const contact = await deps.contactOf(state.webhookId);
  if (!contact) return deps.store.forget(state.webhookId);
  const email = composeDisabledEmail(contact, reason, { logsUrl: deps.logsUrl(state.webhookId) });
  try {
    await deps.send(email);
  } catch (error) {
    deps.onEmail?.({ webhookId: state.webhookId, kind: 'disabled', outcome: 'failed', failures: 0, error });
    return;
  }
  await settleFailing(deps, state, (current) => ({
    failingSince: current.failingSince,
    disabledNotice: null,
  }));
  deps.onEmail?.({ webhookId: state.webhookId, kind: 'disabled', outcome: 'sent', failures: 0 });
}

/**
 * Webhooks whose every attempt has failed for `autoDisableAfterMs` are disabled, and their address told
 * so; one that delivered meanwhile starts over. The email is owed in the state once the webhook is
 * disabled, so an SMTP error sends it again at the next run (without disabling again a webhook an
 * operator may have enabled since).
 */
async function settleFailingWebhooks(
  deps: NotifierDeps,
  states: readonly NoticeState[],
  activity: Map<string, ActivitySummary>,
): Promise<void> {
  const reason = `every delivery failed for ${hoursText(deps.autoDisableAfterMs)} hours`;
  for (const state of states) {
    if (state.disabledNotice) {
      await sendDisabledEmail(deps, state, state.disabledNotice);
      continue;
    }
    const verdict = failingVerdict(state, activity.get(state.webhookId), deps.now(), deps.autoDisableAfterMs);
    if (verdict === 'recovered') {
      await settleFailing(deps, state, () => ({ failingSince: null, disabledNotice: null }));
    } else if (verdict === 'disable') {
      const disabled = await deps.disable(state.webhookId, reason);
      await settleFailing(deps, state, () => ({
        failingSince: null,
        disabledNotice: disabled ? reason : null,
      }));
      if (disabled) await sendDisabledEmail(deps, await deps.store.get(state.webhookId), reason);
    }
  }
}

/**
 * The follow-ups of each digest run, from one read of the notices and one of the writers' counts:
 * recovery emails, and webhooks that only fail.
 */
export async function followUpWebhooks(deps: NotifierDeps): Promise<void> {
  const states = await deps.store.toFollowUp();
  if (states.length === 0) return;
  const activity = await deps.activityOf(states.map((state) => state.webhookId));
  await sendRecoveries(deps, states, activity);
  // A state a recovery email changed is read again by the conditional writes below, not here.
  await settleFailingWebhooks(deps, states, activity);
}
