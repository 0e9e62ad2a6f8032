export interface Arrival {
  at: number;
  id: unknown;
  status: number;
}
export interface CountingServer {
  url: string;
  received: Arrival[];
  force429(count?: number): void;
  close(): Promise<void>;
}
export function startCountingServer(rule: {
  limit: number;
  windowMs: number;
}): Promise<CountingServer>;
export function busiestWindow(times: number[], intervalMs: number): number;
