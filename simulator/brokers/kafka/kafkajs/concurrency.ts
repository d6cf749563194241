/**
 * Two small helpers kafkajs uses everywhere (node_modules/kafkajs/src/utils/sharedPromiseTo.js, utils/lock.js):
 * a function whose concurrent calls share one running promise, and a mutex.
 */

/** `fn` whose calls, while one is running, all get that call's promise. */
export function sharedPromiseTo<A extends unknown[], T>(fn: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let running: Promise<T> | null = null;
  return (...args: A) => {
    if (running === null) {
      running = fn(...args).finally(() => {
        running = null;
      });
    }
    return running;
  };
}

/** A FIFO mutex (kafkajs's Lock without its timeout: a simulated lock is never held by a lost request). */
export class Lock {
  private locked = false;
  private readonly waiting: Array<() => void> = [];

  /** Resolves when the lock is this caller's. */
  acquire(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the lock to the next waiter. */
  release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.locked = false;
  }
}
