import { runService } from '@wms-webhooks/service-runtime';
import { startIngester } from './service';

runService('ingester', startIngester);
