import { runService } from '@wms-webhooks/service-runtime';
import { startApi } from './service';

runService('api', startApi);
