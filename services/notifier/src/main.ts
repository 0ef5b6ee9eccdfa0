import { runService } from '@wms-webhooks/service-runtime';
import { startNotifier } from './service';

runService('notifier', startNotifier);
