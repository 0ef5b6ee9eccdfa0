import { parseArgs } from 'node:util';
import { runService } from '@wms-webhooks/service-runtime';
import { startRetrier } from './service';

// `--tier 5m` and RETRY_TIER=5m are the same; the flag wins.
const { values } = parseArgs({ options: { tier: { type: 'string' } }, strict: false });
runService('retrier', (env) => startRetrier(values.tier ? { ...env, RETRY_TIER: String(values.tier) } : env));
