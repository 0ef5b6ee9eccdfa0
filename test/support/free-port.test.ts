import { describe, expect, it } from 'vitest';
import { freePorts } from './free-port';

describe('freePorts', () => {
  it('never gives one port twice in a set', async () => {
    const ports = await freePorts(600);
    expect(ports.length).toBe(600);
    expect(new Set(ports).size).toBe(600);
  });
});
