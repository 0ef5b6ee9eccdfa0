export { replayEnv } from './replay-env';
export { createReplayMetrics } from './replay-metrics';
export { replayPace } from './replay-pace';
export {
  parseReplayRequest,
  type ReplayRequest,
  type ReplaySource,
  replayRequestInput,
  replaySources,
} from './replay-request';
export { createReplayRunner, type ReplayPreview, type ReplayRunner } from './replay-runner';
export { queuedReplay, type Replay, type ReplayState, ReplayStore } from './replay-store';
