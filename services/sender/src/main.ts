import { runService } from '@wms-webhooks/service-runtime';
import { startSender } from './service';

runService('sender', startSender);
