import type { TaskStatus } from "./model.js";

export interface SchedulableTask {
  id: string;
  upstream: readonly string[];
}

export interface TaskRunRecord<T> {
  task: T;
  status: TaskStatus;
  durationMs: number;
  error?: string;
  startedAt?: Date;
}

export interface ScheduleOptions<T extends SchedulableTask> {
  workers: number;
  /** Resolves to "skipped" for a task that decided not to run (a disabled asset): its downstream go on. */
  execute: (task: T) => Promise<void | "skipped">;
  onStart?: (task: T, startedAt: Date) => void;
  onFinish?: (record: TaskRunRecord<T>) => void;
  /** Once aborted, no new task starts; tasks not started end as `skipped`. */
  signal?: AbortSignal;
  now?: () => number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs a task graph with at most `workers` tasks at once. A task starts as
 * soon as all its upstreams succeeded; when one fails, everything downstream
 * of it (transitively) is marked upstream_failed and never runs, while
 * independent branches carry on. Upstream ids that are not in `tasks` are
 * treated as already done. Records come back in the order of `tasks`.
 */
export async function runTaskGraph<T extends SchedulableTask>(
  tasks: readonly T[],
  options: ScheduleOptions<T>,
): Promise<TaskRunRecord<T>[]> {
  const now = options.now ?? (() => performance.now());
  const workers = Math.max(1, Math.floor(options.workers) || 1);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const waitingOn = new Map<string, number>();
  const downstream = new Map<string, string[]>();
  for (const task of tasks) {
    const ups = [...new Set(task.upstream)].filter((u) => byId.has(u));
    waitingOn.set(task.id, ups.length);
    for (const u of ups) {
      const list = downstream.get(u);
      if (list) list.push(task.id);
      else downstream.set(u, [task.id]);
    }
  }

  const records = new Map<string, TaskRunRecord<T>>();
  const ready: T[] = tasks.filter((t) => waitingOn.get(t.id) === 0);
  let running = 0;

  const finish = (record: TaskRunRecord<T>) => {
    records.set(record.task.id, record);
    options.onFinish?.(record);
  };

  const markDownstreamFailed = (id: string) => {
    const stack = [...(downstream.get(id) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (records.has(next)) continue;
      finish({ task: byId.get(next)!, status: "upstream_failed", durationMs: 0 });
      stack.push(...(downstream.get(next) ?? []));
    }
  };

  await new Promise<void>((resolve) => {
    const pump = () => {
      while (running < workers && ready.length > 0 && !options.signal?.aborted) {
        const task = ready.shift()!;
        if (records.has(task.id)) continue;
        running++;
        const startedAt = new Date();
        const started = now();
        options.onStart?.(task, startedAt);
        void Promise.resolve()
          .then(() => options.execute(task))
          .then(
            (result) => ({ status: result === "skipped" ? ("skipped" as const) : ("succeeded" as const) }),
            (error: unknown) => ({ status: "failed" as const, error: messageOf(error) }),
          )
          .then((outcome) => {
            running--;
            finish({ task, startedAt, durationMs: now() - started, ...outcome });
            if (outcome.status === "failed") markDownstreamFailed(task.id);
            else {
              for (const d of downstream.get(task.id) ?? []) {
                const left = waitingOn.get(d)! - 1;
                waitingOn.set(d, left);
                if (left === 0 && !records.has(d)) ready.push(byId.get(d)!);
              }
            }
            pump();
          });
      }
      if (running === 0) resolve();
    };
    pump();
  });

  // Whatever did not run (aborted, or unreachable) is skipped.
  for (const task of tasks) {
    if (!records.has(task.id)) finish({ task, status: "skipped", durationMs: 0 });
  }
  return tasks.map((t) => records.get(t.id)!);
}
