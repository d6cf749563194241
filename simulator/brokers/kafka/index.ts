/**
 * The Kafka plugin's public entry for the site and the lessons (the runtime and view halves are loaded through
 * `../registry.ts`): the lesson scenarios with their knobs, the exercise queries, the view adapter and the cluster
 * model. See README.md in this folder for what is modelled and what is simplified.
 */
export { KafkaCluster, KAFKA_LIMITS, type KafkaClusterOptions, type ClientHandle } from './model/cluster.ts';
export { KAFKA_ERRORS, kafkaErrorCode, type KafkaErrorType } from './model/errors.ts';
export { murmur2, toPositive } from './model/murmur2.ts';
export { createDefaultPartitioner, partitionForKey } from './model/partitioner.ts';
export { rangeAssign, roundRobinAssign, javaRoundRobinAssign } from './model/assignors.ts';
export { KafkaRuntime, kafkaRuntimePlugin, type KafkaRuntimeContext } from './runtime.ts';
export { createKafkaView, kafkaViewPlugin } from './view.ts';
export { KafkaFold, KafkaIndex, lagOf } from './fold.ts';
export * from './queries.ts';
export { checkRunOptions, SCENARIO_UNTIL_MS_MAX, type KnobRange, type ScenarioRunOptions } from './scenarios/knobs.ts';
export type { KafkaScenarioRun } from './scenarios/run.ts';
export {
  runLogVsQueue, queueWorkloadOf, validateLogVsQueueKnobs, LOG_VS_QUEUE_DEFAULTS, LOG_VS_QUEUE_KNOB_RANGES,
  type LogVsQueueKnobs,
} from './scenarios/log-vs-queue.ts';
export {
  runKeysPartitions, validateKeysPartitionsKnobs, KEYS_PARTITIONS_DEFAULTS, KEYS_PARTITIONS_KNOB_RANGES,
  type KeysPartitionsKnobs,
} from './scenarios/keys-partitions.ts';
export {
  runProducerRetries, validateProducerRetriesKnobs, PRODUCER_RETRIES_DEFAULTS, PRODUCER_RETRIES_KNOB_RANGES,
  type ProducerRetriesKnobs,
} from './scenarios/producer-retries.ts';
export {
  runConsumerGroups, validateConsumerGroupsKnobs, CONSUMER_GROUPS_DEFAULTS, CONSUMER_GROUPS_KNOB_RANGES,
  CONSUMER_GROUPS_EVENTS_MAX, SLOW_HANDLER_PRESET, type ConsumerGroupsKnobs, type GroupEventKnob,
} from './scenarios/consumer-groups.ts';
export { runLag, validateLagKnobs, LAG_DEFAULTS, LAG_KNOB_RANGES, type LagKnobs } from './scenarios/lag.ts';
export {
  runGroupThroughput, validateThroughputKnobs, THROUGHPUT_DEFAULTS, THROUGHPUT_KNOB_RANGES, type ThroughputKnobs,
} from './scenarios/throughput.ts';
