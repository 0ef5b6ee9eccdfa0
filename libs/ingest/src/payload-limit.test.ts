import { ConfigError } from '@wms-webhooks/config';
import { describe, expect, it } from 'vitest';
import { checkPayloadLimit } from './payload-limit';

describe('checkPayloadLimit', () => {
  it('accepts the default 256 KiB against topics of 1 MiB', () => {
    expect(() => checkPayloadLimit(256 * 1024, 1_048_576)).not.toThrow();
  });

  it('refuses a payload limit a delivery task could not hold, naming the variable and the largest allowed', () => {
    expect(() => checkPayloadLimit(1_000_000, 1_048_576)).toThrow(ConfigError);
    expect(() => checkPayloadLimit(1_000_000, 1_048_576)).toThrow(
      /INGEST_MAX_PAYLOAD_BYTES: 1000000 leaves no room .* at most 982979/,
    );
  });
});
