import { describe, expect, it } from 'vitest';
import { type BreakerState, CircuitBreaker, endpointOf } from './circuit-breaker';

function breaker() {
  let now = 0;
  const transitions: Array<[BreakerState, BreakerState]> = [];
  const circuit = new CircuitBreaker({
    failureThreshold: 3,
    openMs: 1_000,
    now: () => now,
    onTransition: (_endpoint, from, to) => transitions.push([from, to]),
  });
  return { circuit, transitions, advance: (ms: number) => (now += ms) };
}

describe('the circuit breaker', () => {
  it('opens after the threshold of failures in a row and refuses while open', () => {
    const { circuit, transitions } = breaker();
    circuit.record('e', false);
    circuit.record('e', false);
    expect(circuit.allow('e')).toBe(true);
    circuit.record('e', false);
    expect(circuit.state('e')).toBe('open');
    expect(circuit.allow('e')).toBe(false);
    expect(transitions).toEqual([['closed', 'open']]);
  });

  it('forgets failures after a success', () => {
    const { circuit } = breaker();
    circuit.record('e', false);
    circuit.record('e', false);
    circuit.record('e', true);
    circuit.record('e', false);
    expect(circuit.state('e')).toBe('closed');
  });

  it('lets exactly one probe through once the open time has passed', () => {
    const { circuit, advance } = breaker();
    for (let count = 0; count < 3; count++) circuit.record('e', false);
    advance(1_000);
    expect(circuit.allow('e')).toBe(true);
    expect(circuit.state('e')).toBe('half-open');
    expect(circuit.allow('e')).toBe(false);
  });

  it('closes when the probe succeeds, and opens again when it fails', () => {
    const { circuit, advance, transitions } = breaker();
    for (let count = 0; count < 3; count++) circuit.record('e', false);
    advance(1_000);
    circuit.allow('e');
    circuit.record('e', false);
    expect(circuit.state('e')).toBe('open');
    expect(circuit.allow('e')).toBe(false);
    advance(1_000);
    circuit.allow('e');
    circuit.record('e', true);
    expect(circuit.state('e')).toBe('closed');
    expect(transitions).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });

  it('keeps one circuit per endpoint URL, ignoring the query', () => {
    expect(endpointOf('https://erp.example:8443/a/b?c=1')).toBe('https://erp.example:8443/a/b');
    const { circuit } = breaker();
    for (let count = 0; count < 3; count++) circuit.record(endpointOf('https://host.example/down'), false);
    expect(circuit.allow(endpointOf('https://host.example/up'))).toBe(true);
  });
});
