export { replayEnv } from './replay-env';
export { createReplayMetrics } from './replay-metrics';
export { replayPace } from './replay-pace';
export { parseReplayRequest, replayRequestInput } from './replay-request';
export { createReplayRunner, type ReplayRunner } from './replay-runner';
export { queuedReplay, type Replay, ReplayStore } from './replay-store';
