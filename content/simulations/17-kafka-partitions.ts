/**
 * Lesson 17's simulation: keys choose partitions. A producer sends orders of six customers (keys customer-0 …
 * customer-5) to the topic `orders`; kafkajs's default partitioner puts each key on the partition its hash picks, so
 * every customer's orders sit in one partition, in the order they were sent, and a group of consumers (one per
 * partition) handles them in that order. Without keys the records are spread in turn; with a hot key one partition
 * gets most of the load; adding partitions moves keys to other partitions. With more brokers and replicas, stopping a
 * broker moves the partitions it led to an in-sync replica (or leaves them offline without one), and the producer's
 * acks decide whether an order the old leader had not passed on is sent again or lost.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/kafka/scenarios/keys-partitions-scenario.ts')).keysPartitionsScenario,
  knobs: {
    partitions: { min: 1, max: 6, default: 3 },
    keyCount: { label: 'Customers (keys)', min: 0, max: 8, default: 6,
      description: 'How many customers send orders; each order carries its customer id as its key (0: orders are sent without a key).' },
    hotKeyShare: { label: 'Share of one busy customer', min: 0, max: 0.8, step: 0.1, default: 0,
      description: 'Fraction of all orders that come from customer-0.' },
    consumers: { min: 1, max: 6, default: 3, description: 'Members of the consumer group shipping.' },
    messageCount: { label: 'Orders', min: 6, max: 60, default: 36, description: 'How many orders the producer sends.' },
    producerRatePerSec: { label: 'Orders per second', min: 1, max: 10, default: 4 },
    processingMs: { min: 0, max: 1000, step: 50, default: 200, description: 'Time a consumer spends on one order.' },
    addPartitionsAtMs: { min: 0, max: 20_000, step: 1000, default: 0 },
    addPartitions: { min: 1, max: 3, default: 3 },
    brokers: { min: 1, max: 3, default: 1 },
    replicationFactor: { min: 1, max: 3, default: 1 },
    acks: {},
  },
  counters: ['produced', 'consumed', 'rebalances', 'truncated', 'givenUp'],
  faults: ['stop-broker', 'start-broker'],
  charts: [
    { title: 'Lag of the group', series: ['lag:shipping'],
      description: 'Orders in the log that group shipping has not committed yet, over all partitions.' },
  ],
  seed: 1,
  latencyMs: 100,
  untilMs: 40_000,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. A fault happens at the current time '
    + 'and re-runs from there. Each colour in the log is one '
    + 'customer (one key). The consumers look for new partitions every 5 s here (kafkajs\'s default is every 5 '
    + 'minutes), and network latency is 100 ms each way, exaggerated so you can watch records travel.',
  ariaLabel: 'Kafka partitions: a producer sends keyed orders to the topic orders; the consumers of group shipping each read their own partitions',
});
