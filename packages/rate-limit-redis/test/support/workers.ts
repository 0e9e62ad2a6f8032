// Runs worker processes (worker.mjs) that share one Redis store, all starting at one signal.
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { ClientKind } from "./clients.js";

export interface WorkerReport {
  kind: ClientKind;
  slots: number[];
  ok: number;
  failed: string[];
  warnings: string[];
  roundTrips: number[];
}

export interface Job {
  redisUrl: string;
  baseUrl: string;
  apiKey: string;
  limit: number;
  intervalMs: number;
  /** Calls per worker. */
  calls: number;
  /** Calls in progress at once per worker, at most; default: all of them at once. */
  inProgress?: number;
}

const WORKER = fileURLToPath(new URL("./worker.mjs", import.meta.url));

/** Forks `count` workers, half node-redis and half ioredis; resolves to their reports. */
export async function runWorkers(count: number, job: Job): Promise<WorkerReport[]> {
  const children = Array.from({ length: count }, (_, i) =>
    fork(WORKER, [], {
      env: {
        ...process.env,
        WORKER: JSON.stringify({
          ...job,
          kind: i % 2 ? "ioredis" : "node-redis",
          firstId: 1 + i * job.calls,
        }),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  try {
    await Promise.all(children.map((child) => once(child, "message")));
    const reports = children.map(
      (child) =>
        new Promise<WorkerReport>((resolve, reject) => {
          child.once("message", (message: { report: WorkerReport }) => resolve(message.report));
          child.once("exit", (code) => reject(new Error(`a worker exited with ${code}`)));
        }),
    );
    for (const child of children) {
      child.send({ go: true });
    }
    return await Promise.all(reports);
  } finally {
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill();
      }
    }
  }
}
