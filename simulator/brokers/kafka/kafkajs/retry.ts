/**
 * kafkajs's retrier (node_modules/kafkajs/src/retry/index.js, defaults in retry/defaults.js), on the simulated
 * clock and the run's seeded PRNG instead of `setTimeout` and `Math.random`:
 * - the first attempt runs at once; a retriable failure (`retriable !== false` and not a RangeError,
 *   ReferenceError, SyntaxError or TypeError) schedules the next attempt after `retryTime`, which starts as
 *   `initialRetryTime` (300 ms) ± `factor` (20 %) and then grows: next = min(random(±factor) × `multiplier` (2),
 *   `maxRetryTime` (30 s));
 * - after `retries` (5) retries the error becomes `KafkaJSNumberOfRetriesExceeded` (message of the last error);
 *   a non-retriable error becomes `KafkaJSNonRetriableError` wrapping it;
 * - `bail(error)` inside an attempt ends the retrying with that very error.
 */
import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from './errors.ts';

/** kafkajs's retry options. */
export interface RetryOptions {
  maxRetryTime?: number;
  initialRetryTime?: number;
  factor?: number;
  multiplier?: number;
  retries?: number;
  restartOnFailure?: (e: Error) => Promise<boolean>;
}

/** kafkajs's defaults (retry/defaults.js). */
export const RETRY_DEFAULTS = Object.freeze({
  maxRetryTime: 30_000, initialRetryTime: 300, factor: 0.2, multiplier: 2, retries: 5,
});

/** One attempt: gets `bail`, the retry count and the current retry time. */
export type Attempt<T> = (bail: (error?: unknown) => void, retryCount: number, retryTime: number) => Promise<T>;

/** What retrying needs: a timer on the simulated clock and a uniform random number in [0, 1). */
export interface RetryEnv {
  setTimeout(fn: () => void, ms: number): void;
  random(): number;
}

const UNRECOVERABLE = ['RangeError', 'ReferenceError', 'SyntaxError', 'TypeError'];

function isRetriable(error: { retriable?: unknown; name?: unknown }): boolean {
  return (Boolean(error.retriable) || error.retriable !== false) && !UNRECOVERABLE.includes(String(error.name));
}

/** Creates a retrier: `retrier(attempt)` resolves with the first successful attempt's value. */
export function createRetry(env: RetryEnv, opts: RetryOptions = {}): <T>(attempt: Attempt<T>) => Promise<T> {
  return <T>(fn: Attempt<T>) => new Promise<T>((resolve, reject) => {
    const { factor, multiplier, maxRetryTime, retries, initialRetryTime } = { ...RETRY_DEFAULTS, ...opts };
    const randomFromRetryTime = (retryTime: number) => {
      const delta = factor * retryTime;
      const min = retryTime - delta;
      const max = retryTime + delta;
      return Math.ceil(env.random() * (max - min) + min);
    };
    let aborted = false;
    const bail = (error?: unknown) => {
      aborted = true;
      reject(error || new Error('Aborted'));
    };
    const retry = (retryTime: number, retryCount = 0): void => {
      if (aborted) return;
      const nextRetryTime = Math.min(randomFromRetryTime(retryTime) * multiplier, maxRetryTime);
      const shouldRetry = retryCount < retries;
      fn(bail, retryCount, retryTime).then(resolve).catch((e: Error & { cause?: unknown }) => {
        if (isRetriable(e)) {
          if (shouldRetry) env.setTimeout(() => retry(nextRetryTime, retryCount + 1), retryTime);
          else reject(new KafkaJSNumberOfRetriesExceeded(e, { retryCount, retryTime }));
        } else {
          reject(new KafkaJSNonRetriableError(e, { cause: e.cause || e }));
        }
      });
    };
    retry(randomFromRetryTime(initialRetryTime));
  });
}
