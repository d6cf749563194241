/**
 * kafkajs 2's fetch loop (node_modules/kafkajs/src/consumer/fetchManager.js, fetcher.js, worker.js,
 * workerQueue.js): one fetcher per broker in the metadata, each looping "fetch this member's partitions led by
 * my broker → hand the batches to the workers → wait until they are processed → fetch again"; `concurrency`
 * workers (partitionsConsumedConcurrently, default 1) take batches from one queue. A change in the set of brokers
 * restarts the fetchers; an error in one fetcher stops all of them (waiting for each to finish its current fetch
 * and batches) and is thrown to the runner.
 */
import { KafkaJSFetcherRebalanceError, KafkaJSNoBrokerAvailableError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { Batch } from './batch.ts';

interface QueueItem {
  batch: Batch;
  resolve: () => void;
  reject: (e: unknown) => void;
}

function sharedRun(handler: (batch: Batch) => Promise<void>) {
  let running: Promise<void> | null = null;
  return (next: () => QueueItem | undefined): Promise<void> => {
    if (running === null) {
      running = (async () => {
        for (;;) {
          const item = next();
          if (item === undefined) break;
          try {
            await handler(item.batch);
            item.resolve();
          } catch (e) {
            item.reject(e);
          }
        }
      })().finally(() => {
        running = null;
      });
    }
    return running;
  };
}

/** Creates the fetch manager of a runner. */
export function createFetchManager({ logger: rootLogger, getNodeIds, fetch, handler, concurrency = 1 }: {
  logger: Logger;
  getNodeIds: () => string[];
  fetch: (nodeId: string) => Promise<Batch[]>;
  handler: (batch: Batch) => Promise<void>;
  concurrency?: number;
}) {
  const logger = rootLogger.namespace('FetchManager');
  const workers = Array.from({ length: Math.max(1, concurrency) }, () => sharedRun(handler));
  const queue: QueueItem[] = [];
  const push = async (batches: Batch[]) => {
    const promises = batches.map((batch) => new Promise<void>((resolve, reject) => queue.push({ batch, resolve, reject })));
    for (const run of workers) void run(() => queue.shift());
    const results = await Promise.allSettled(promises);
    const rejected = results.find((r) => r.status === 'rejected');
    if (rejected !== undefined) throw (rejected as PromiseRejectedResult).reason;
  };

  interface Fetcher {
    start(): Promise<void>;
    stop(): Promise<void>;
  }
  let fetchers: Fetcher[] = [];

  const createFetchers = (): Fetcher[] => {
    const nodeIds = getNodeIds();
    const assignments = new Map<string, string>();
    if (nodeIds.length === 0) throw new KafkaJSNoBrokerAvailableError();
    const validateShouldRebalance = () => {
      const current = getNodeIds();
      const changed = nodeIds.length !== current.length || nodeIds.some((n) => !current.includes(n));
      if (changed && current.length !== 0) throw new KafkaJSFetcherRebalanceError();
    };
    return nodeIds.map((nodeId): Fetcher => {
      let isRunning = false;
      const ended: Array<() => void> = [];
      const end = () => {
        for (const e of ended.splice(0)) e();
      };
      const key = (b: Batch) => `${b.topic}|${b.partition}`;
      return {
        async start() {
          if (isRunning) return;
          isRunning = true;
          while (isRunning) {
            try {
              validateShouldRebalance();
              const batches = await fetch(nodeId);
              if (isRunning) {
                const available = batches.filter((b) => {
                  const owner = assignments.get(key(b));
                  if (owner !== undefined && owner !== nodeId) {
                    logger.info('Filtering out batch due to partition already being processed by another fetcher', {
                      topic: b.topic, partition: b.partition, assignedFetcher: owner, fetcher: nodeId,
                    });
                    return false;
                  }
                  return true;
                });
                if (available.length > 0) {
                  for (const b of available) assignments.set(key(b), nodeId);
                  try {
                    await push(available);
                  } finally {
                    for (const b of available) assignments.delete(key(b));
                  }
                }
              }
            } catch (error) {
              isRunning = false;
              end();
              throw error;
            }
          }
          end();
        },
        async stop() {
          if (!isRunning) return;
          isRunning = false;
          await new Promise<void>((resolve) => ended.push(resolve));
        },
      };
    });
  };

  const stop = async () => {
    logger.debug('Stopping fetchers...');
    await Promise.all(fetchers.map((f) => f.stop()));
    logger.debug('Stopped fetchers');
  };

  const start = async () => {
    logger.debug('Starting...');
    for (;;) {
      fetchers = createFetchers();
      try {
        await Promise.all(fetchers.map((f) => f.start()));
      } catch (error) {
        await stop();
        if (error instanceof KafkaJSFetcherRebalanceError) {
          logger.debug('Rebalancing fetchers...');
          continue;
        }
        throw error;
      }
      break;
    }
  };

  return { start, stop };
}
