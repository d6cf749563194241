/**
 * What a conformance program may ask of the broker beyond its own connections, on the real RabbitMQ (through
 * `rabbitmqctl`) and on the simulator (the `AmqpBroker` of its run) alike:
 *
 * - `// conformance: vhost <name>` (a line of the program, repeatable): the vhost exists while the program runs.
 *   Real broker: `rabbitmqctl add_vhost <name>` and `set_permissions -p <name> guest .* .* .*` before the run,
 *   `delete_vhost <name>` after it (also when it failed), so RabbitMQ is left as it was. Simulator:
 *   `AmqpBroker.addVhost(name)` before the program starts.
 * - `// conformance: restart-broker`: the program prints the line RESTART_MARKER when it wants the broker restarted
 *   (a fault injected from outside, as an operator would). Real broker: on seeing the line on the program's stdout
 *   the runner runs `rabbitmqctl stop_app` then `start_app` (in the background; the program reconnects on its own)
 *   and waits for both before the next program. Simulator: at the simulated time the line is printed, the run's
 *   broker gets `restart({ inMs: RESTART_IN_MS, downMs: RESTART_DOWN_MS })` (about the real timing; programs must not
 *   print anything that depends on it).
 *
 * `RABBITMQCTL` (environment) overrides the command, e.g. `docker exec rabbitmq rabbitmqctl`.
 */
import { execFile } from 'node:child_process';
import type { AmqpBroker } from '../../simulator/brokers/amqp/model/broker.ts';

/** The stdout line by which a `restart-broker` program asks for the restart. */
export const RESTART_MARKER = '[conformance] restarting RabbitMQ';
/** Simulator: the broker stops this long after the marker line (simulated ms). */
export const RESTART_IN_MS = 500;
/** Simulator: and stays down this long (simulated ms). */
export const RESTART_DOWN_MS = 3_000;

/** What a program's `// conformance:` lines ask for. */
export interface BrokerSetup {
  vhosts: string[];
  restart: boolean;
}

/** Reads the `// conformance:` lines of a program's source. @throws Error on a line it does not understand. */
export function brokerSetup(source: string): BrokerSetup {
  const setup: BrokerSetup = { vhosts: [], restart: false };
  for (const match of source.matchAll(/^\/\/ conformance: (.*)$/gm)) {
    const [word, arg, ...rest] = match[1].trim().split(/\s+/);
    if (word === 'vhost' && arg !== undefined && rest.length === 0) setup.vhosts.push(arg);
    else if (word === 'restart-broker' && arg === undefined) setup.restart = true;
    else throw new Error(`unknown conformance directive: ${match[0]}`);
  }
  return setup;
}

/** Whether a program needs anything of `brokerSetup`. */
export function needsBrokerControl(setup: BrokerSetup): boolean {
  return setup.vhosts.length > 0 || setup.restart;
}

/** Simulator side: prepares `broker` before the program runs, and returns what to do with each stdout line. */
export function simulatedControl(broker: AmqpBroker, setup: BrokerSetup): (line: string) => void {
  for (const vhost of setup.vhosts) broker.addVhost(vhost);
  return (line) => {
    if (setup.restart && line === RESTART_MARKER) broker.restart({ inMs: RESTART_IN_MS, downMs: RESTART_DOWN_MS });
  };
}

function rabbitmqctl(...args: string[]): Promise<string> {
  const [command, ...prefix] = (process.env.RABBITMQCTL ?? 'rabbitmqctl').split(/\s+/);
  return new Promise((resolve, reject) => {
    execFile(command, [...prefix, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`rabbitmqctl ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Real broker: creates the program's vhosts (with permissions for guest). */
export async function prepareRealBroker(setup: BrokerSetup): Promise<void> {
  for (const vhost of setup.vhosts) {
    await rabbitmqctl('add_vhost', vhost);
    await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  }
}

/** Real broker: deletes the program's vhosts again (errors are reported, not thrown: this runs after failures too). */
export async function restoreRealBroker(setup: BrokerSetup): Promise<string[]> {
  const problems: string[] = [];
  for (const vhost of setup.vhosts) {
    try {
      await rabbitmqctl('delete_vhost', vhost);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}

/** Real broker: `rabbitmqctl stop_app` then `start_app`; resolves once RabbitMQ runs again. */
export async function restartRealBroker(): Promise<void> {
  await rabbitmqctl('stop_app');
  await rabbitmqctl('start_app');
}
