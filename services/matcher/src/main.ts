import { runService } from '@wms-webhooks/service-runtime';
import { startMatcher } from './service';

runService('matcher', startMatcher);
