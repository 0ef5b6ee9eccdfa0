import { randomBytes } from 'node:crypto';

/** A name no other test or run uses, so tests share the stack without sharing topics, groups or databases. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
