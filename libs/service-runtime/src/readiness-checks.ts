import { basicAuthorization, splitUrlCredentials } from '@wms-webhooks/config';
import type { Db } from 'mongodb';

/** Ready while the store answers a ping. */
export function storeReachable(db: Db) {
  return async () => {
    await db.command({ ping: 1 });
  };
}

/** Ready while the schema registry's API answers. */
export function registryReachable(registryUrl: string) {
  const { url, credentials } = splitUrlCredentials(registryUrl);
  const headers: Record<string, string> = credentials
    ? { authorization: basicAuthorization(credentials) }
    : {};
  return async () => {
    const response = await fetch(`${url}/subjects`, { headers, signal: AbortSignal.timeout(2_000) });
    if (!response.ok) throw new Error(`registry answered ${response.status}`);
  };
}
