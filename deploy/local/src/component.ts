import type { StackLayout } from './stack-config';
import type { Tool } from './toolchain';

export type ProbeResult = { ok: true; detail: string } | { ok: false; error: string };

export interface LaunchSpec {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** One native process of the stack: how to fetch it, prepare its data, launch it and tell that it is ready. */
export interface StackComponent {
  /** kafka, kafka-2, kafka-3, registry or ferretdb: its pid and log files are named after it. */
  name: string;
  title: string;
  /** Components with the same key share one download, fetched once (the Kafka nodes). */
  installKey?: string;
  installTools: Tool[];
  runTools: Tool[];
  version(layout: StackLayout): string;
  endpoint(layout: StackLayout): string;
  /** Each port with the variable that moves it, so a clash can name what to change. */
  ports(layout: StackLayout): Array<{ port: number; variable: string }>;
  isInstalled(layout: StackLayout): boolean;
  install(layout: StackLayout): Promise<void>;
  prepare(layout: StackLayout): Promise<void>;
  launch(layout: StackLayout): Promise<LaunchSpec>;
  probe(layout: StackLayout): Promise<ProbeResult>;
  /** Set-up that needs the component running, on every start; it must be idempotent. */
  afterReady?(layout: StackLayout): Promise<void>;
}
