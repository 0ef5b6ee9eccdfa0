import { boundedMemo } from './bounded-memo';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long it stays open before one probe may test recovery. */
  openMs: number;
  now: () => number;
  onTransition?: (endpoint: string, from: BreakerState, to: BreakerState) => void;
}

interface Circuit {
  state: BreakerState;
  failures: number;
  openUntil: number;
  probing: boolean;
}

function parseEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}

/**
 * The endpoint a circuit guards: the URL without its query. Keyed finer than the host, because one server
 * often hosts several receivers, and one of them hanging must not trip the healthy ones. Remembered per
 * URL: it is asked once per delivery.
 */
export const endpointOf = boundedMemo(parseEndpoint);

/**
 * One circuit per endpoint URL. Closed: everything goes through, and `failureThreshold` failures in a row
 * open it. Open: nothing goes through until `openMs` has passed. Half-open: exactly one probe goes
 * through; its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly options: BreakerOptions) {}

  state(endpoint: string): BreakerState {
    return this.circuits.get(endpoint)?.state ?? 'closed';
  }

  /** Whether a request to the endpoint may go out now; when it returns true in half-open, that request is the probe. */
  allow(endpoint: string): boolean {
    const circuit = this.circuits.get(endpoint);
    if (!circuit || circuit.state === 'closed') return true;
    if (circuit.state === 'open') {
      if (this.options.now() < circuit.openUntil) return false;
      this.move(endpoint, circuit, 'half-open');
    }
    if (circuit.probing) return false;
    circuit.probing = true;
    return true;
  }

  record(endpoint: string, succeeded: boolean) {
    const circuit = this.circuits.get(endpoint) ?? {
      state: 'closed' as BreakerState,
      failures: 0,
      openUntil: 0,
      probing: false,
    };
    this.circuits.set(endpoint, circuit);
    circuit.probing = false;
    if (succeeded) {
      circuit.failures = 0;
      if (circuit.state !== 'closed') this.move(endpoint, circuit, 'closed');
      return;
    }
    circuit.failures++;
    if (circuit.state === 'half-open' || circuit.failures >= this.options.failureThreshold) {
      circuit.openUntil = this.options.now() + this.options.openMs;
      if (circuit.state !== 'open') this.move(endpoint, circuit, 'open');
    }
  }

  private move(endpoint: string, circuit: Circuit, to: BreakerState) {
    const from = circuit.state;
    circuit.state = to;
    this.options.onTransition?.(endpoint, from, to);
  }
}
