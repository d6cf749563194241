/**
 * Topic-level configuration the Kafka model applies, with Kafka's names and defaults (Kafka 3.x topic configs,
 * https://kafka.apache.org/documentation/#topicconfigs), and the validation of `configEntries` as a broker does it
 * in CreateTopics (an unknown name or a value out of range → INVALID_CONFIG).
 *
 * Units: `*.ms` are simulated ms, `*.bytes` are bytes of records as the model counts them (see `partition.ts`).
 */
import type { KafkaTopicConfigInfo } from '../../../trace.ts';

/** The configuration a topic runs with (a complete set; see `TOPIC_CONFIG_DEFAULTS`). */
export type TopicConfig = KafkaTopicConfigInfo;

/**
 * Kafka's defaults: retention.ms 7 days (log.retention.hours=168), retention.bytes -1 (no size limit),
 * segment.ms 7 days (log.roll.hours=168), segment.bytes 1 GiB (log.segment.bytes), min.insync.replicas 1.
 */
export const TOPIC_CONFIG_DEFAULTS: Readonly<TopicConfig> = Object.freeze({
  'retention.ms': 604_800_000,
  'retention.bytes': -1,
  'segment.ms': 604_800_000,
  'segment.bytes': 1_073_741_824,
  'min.insync.replicas': 1,
});

/**
 * Ranges a broker accepts (Kafka's ConfigDef validators): retention.ms ≥ -1 (-1: keep forever), retention.bytes
 * any long (negative: no limit), segment.ms ≥ 1, segment.bytes ≥ 14 (LegacyRecord.RECORD_OVERHEAD_V0),
 * min.insync.replicas ≥ 1.
 */
const CONFIG_MIN: Readonly<Record<keyof TopicConfig, number>> = {
  'retention.ms': -1,
  'retention.bytes': -Number.MAX_SAFE_INTEGER,
  'segment.ms': 1,
  'segment.bytes': 14,
  'min.insync.replicas': 1,
};

/**
 * Topic configs Kafka knows but the model does not act on; they are accepted (a real broker accepts them) and
 * otherwise ignored. `cleanup.policy=compact` is not modelled: retention deletes as for `delete`.
 */
const ACCEPTED_IGNORED = new Set([
  'cleanup.policy', 'compression.type', 'max.message.bytes', 'message.timestamp.type', 'delete.retention.ms',
  'file.delete.delay.ms', 'flush.messages', 'flush.ms', 'index.interval.bytes', 'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms', 'max.compaction.lag.ms', 'preallocate', 'segment.index.bytes', 'segment.jitter.ms',
  'unclean.leader.election.enable', 'message.downconversion.enable', 'local.retention.ms', 'local.retention.bytes',
]);

/** Why a config entry was refused (the text Kafka's error message would carry). */
export interface ConfigProblem {
  name: string;
  reason: string;
}

/**
 * Builds a topic's configuration from CreateTopics `configEntries` (`{ name, value }` with string values) over the
 * defaults. Returns the config, or the first problem (the broker answers INVALID_CONFIG for it).
 */
export function topicConfigFrom(entries: ReadonlyArray<{ name: string; value: string | null }>,
  defaults: Readonly<TopicConfig> = TOPIC_CONFIG_DEFAULTS): TopicConfig | ConfigProblem {
  const config: TopicConfig = { ...defaults };
  for (const { name, value } of entries) {
    if (ACCEPTED_IGNORED.has(name)) continue;
    if (!(name in CONFIG_MIN)) return { name, reason: `Unknown topic config name: ${name}` };
    const key = name as keyof TopicConfig;
    const n = value === null ? NaN : Number(value);
    if (value === null || value.trim() === '' || !Number.isInteger(n)) {
      return { name, reason: `Invalid value ${String(value)} for configuration ${name}: Not a number of type LONG` };
    }
    if (n < CONFIG_MIN[key]) {
      return { name, reason: `Invalid value ${value} for configuration ${name}: Value must be at least ${CONFIG_MIN[key]}` };
    }
    config[key] = n;
  }
  return config;
}

/** True when `topicConfigFrom` returned a problem. */
export function isConfigProblem(value: TopicConfig | ConfigProblem): value is ConfigProblem {
  return 'reason' in value;
}

/**
 * Legal topic names (Kafka's `Topic.validate`): 1–249 characters of ASCII letters, digits, '.', '_' and '-', and
 * not "." or "..". Returns the reason a name is not legal, or undefined.
 */
export function invalidTopicName(name: string): string | undefined {
  if (name.length === 0) return 'Topic name is illegal, it can\'t be empty';
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > 249) return `Topic name is illegal, it can't be longer than 249 characters, topic name: ${name}`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return undefined;
}
