/**
 * kafkajs 2's admin client (node_modules/kafkajs/src/admin/index.js), the calls lessons and programs use:
 * `connect`, `disconnect`, `listTopics`, `createTopics` (true when created, false when every topic already existed;
 * other failures: `KafkaJSAggregateError` "Topic creation errors" holding one `KafkaJSCreateTopicError` per topic),
 * `createPartitions`, `deleteTopics`, `fetchTopicMetadata`, `fetchTopicOffsets` (`[{ partition, offset, high,
 * low }]`, high = high watermark, low = log start offset), `fetchTopicOffsetsByTimestamp`, `fetchOffsets`
 * (`[{ topic, partitions: [{ partition, offset, metadata }] }]`, offset '-1' when the group never committed),
 * `setOffsets` / `resetOffsets` (only on a group without running members: "The consumer group must have no
 * running instances, current state: Stable"), `describeGroups`, `listGroups`, `describeCluster`, `on`, `events`,
 * `logger`. The admin never auto-creates topics. Argument checks and messages are kafkajs's.
 *
 * Simplified: `setOffsets` commits directly as a client outside the group (generation -1, which Kafka accepts for
 * an Empty group) instead of kafkajs's temporary consumer; configs, ACLs, reassignments and deleteGroups are not
 * simulated (they reject with KafkaJSNotImplemented).
 */
import type { ClusterClient, ClientEnv } from './cluster-client.ts';
import { describedGroup } from './consumer.ts';
import { KafkaJSAggregateError, KafkaJSNonRetriableError, KafkaJSNotImplemented, type KafkaJSError } from './errors.ts';
import { ADMIN_EVENTS, Instrumentation, type InstrumentationEvent } from './instrumentation.ts';
import type { Logger } from './logger.ts';
import { createRetry, type RetryOptions } from './retry.ts';

/** Builds an admin client (kafkajs's `kafka.admin()`). */
export function createAdmin(env: ClientEnv, cluster: ClusterClient, o: { logger: Logger; retry: RetryOptions | undefined; reopen: () => void }) {
  const logger = o.logger.namespace('Admin');
  const instrumentation = new Instrumentation(env.now);
  const retrier = () => createRetry(env.retryEnv, o.retry);

  const createTopics = async ({ topics, validateOnly = false, timeout = 5000, waitForLeaders = true }: {
    topics: Array<{ topic: string; numPartitions?: number; replicationFactor?: number;
      replicaAssignment?: Array<{ partition: number; replicas: number[] }>; configEntries?: Array<{ name: string; value: string }> }>;
    validateOnly?: boolean; timeout?: number; waitForLeaders?: boolean;
  }) => {
    if (!topics || !Array.isArray(topics)) throw new KafkaJSNonRetriableError(`Invalid topics array ${String(topics)}`);
    if (topics.filter(({ topic }) => typeof topic !== 'string').length > 0) {
      throw new KafkaJSNonRetriableError('Invalid topics array, the topic names have to be a valid string');
    }
    const names = new Set(topics.map(({ topic }) => topic));
    if (names.size < topics.length) throw new KafkaJSNonRetriableError('Invalid topics array, it cannot have multiple entries for the same topic');
    for (const { topic, configEntries } of topics) {
      if (configEntries == null) continue;
      if (!Array.isArray(configEntries)) throw new KafkaJSNonRetriableError(`Invalid configEntries for topic "${topic}", must be an array`);
      configEntries.forEach((entry, index) => {
        if (typeof entry !== 'object' || entry == null) {
          throw new KafkaJSNonRetriableError(`Invalid configEntries for topic "${topic}". Entry ${index} must be an object`);
        }
        for (const prop of ['name', 'value'] as const) {
          if (!Object.prototype.hasOwnProperty.call(entry, prop) || typeof entry[prop] !== 'string') {
            throw new KafkaJSNonRetriableError(`Invalid configEntries for topic "${topic}". Entry ${index} must have a valid "${prop}" property`);
          }
        }
      });
    }
    return retrier()(async (bail, retryCount, retryTime) => {
      try {
        await cluster.refreshMetadata();
        const broker = await cluster.findControllerBroker();
        await broker.createTopics(topics.map((t) => ({ ...t })), validateOnly);
        if (waitForLeaders) await broker.metadata([...names], false).catch(() => undefined);
        void timeout;
        return true;
      } catch (e) {
        const error = e as KafkaJSError & { type?: string };
        if (error.type === 'NOT_CONTROLLER') {
          logger.warn('Could not create topics', { error: error.message, retryCount, retryTime });
          throw e;
        }
        if (e instanceof KafkaJSAggregateError && e.errors.every((x) => (x as { type?: string }).type === 'TOPIC_ALREADY_EXISTS')) return false;
        bail(e);
        return false;
      }
    });
  };

  const createPartitions = async ({ topicPartitions, validateOnly = false }: {
    topicPartitions: Array<{ topic: string; count: number }>; validateOnly?: boolean; timeout?: number;
  }) => {
    if (!topicPartitions || !Array.isArray(topicPartitions)) {
      throw new KafkaJSNonRetriableError(`Invalid topic partitions array ${String(topicPartitions)}`);
    }
    if (topicPartitions.length === 0) throw new KafkaJSNonRetriableError('Empty topic partitions array');
    if (topicPartitions.filter(({ topic }) => typeof topic !== 'string').length > 0) {
      throw new KafkaJSNonRetriableError('Invalid topic partitions array, the topic names have to be a valid string');
    }
    if (new Set(topicPartitions.map(({ topic }) => topic)).size < topicPartitions.length) {
      throw new KafkaJSNonRetriableError('Invalid topic partitions array, it cannot have multiple entries for the same topic');
    }
    return retrier()(async (bail, retryCount, retryTime) => {
      try {
        await cluster.refreshMetadata();
        const broker = await cluster.findControllerBroker();
        await broker.createPartitions(topicPartitions.map(({ topic, count }) => ({ topic, count })), validateOnly);
      } catch (e) {
        if ((e as { type?: string }).type === 'NOT_CONTROLLER') {
          logger.warn('Could not create topics', { error: (e as Error).message, retryCount, retryTime });
          throw e;
        }
        bail(e);
      }
    });
  };

  const deleteTopics = async ({ topics }: { topics: string[]; timeout?: number }) => {
    if (!topics || !Array.isArray(topics)) throw new KafkaJSNonRetriableError(`Invalid topics array ${String(topics)}`);
    if (topics.filter((t) => typeof t !== 'string').length > 0) {
      throw new KafkaJSNonRetriableError('Invalid topics array, the names must be a valid string');
    }
    return retrier()(async (bail, retryCount, retryTime) => {
      try {
        await cluster.refreshMetadata();
        const broker = await cluster.findControllerBroker();
        await broker.deleteTopics(topics);
        for (const t of topics) cluster.targetTopics.delete(t);
        await cluster.refreshMetadata();
      } catch (e) {
        const type = (e as { type?: string }).type;
        if (type === 'NOT_CONTROLLER' || type === 'UNKNOWN_TOPIC_OR_PARTITION') {
          logger.warn('Could not delete topics', { error: (e as Error).message, retryCount, retryTime });
          throw e;
        }
        bail(e);
      }
    });
  };

  /** Metadata of `topics` (all when empty) through any broker. */
  const metadata = async (topics: string[]) => {
    await cluster.connect();
    const r = retrier();
    return r(async (bail) => {
      try {
        await cluster.refreshMetadataIfNecessary();
        const nodeId = cluster.getNodeIds()[0];
        const broker = await cluster.findBroker({ nodeId });
        return await broker.metadata(topics.length > 0 ? topics : (await broker.metadata([], false)).topicMetadata.map((t) => t.topic), false);
      } catch (e) {
        if ((e as { type?: string }).type === 'LEADER_NOT_AVAILABLE') throw e;
        bail(e);
        return undefined as never;
      }
    });
  };

  const listTopics = async () => {
    const all = env.model.topicNames();
    const md = await metadata(all.length > 0 ? all : []);
    return md.topicMetadata.map((t) => t.topic);
  };

  const fetchTopicMetadata = async ({ topics = [] }: { topics?: string[] } = {}) => {
    for (const t of topics ?? []) if (!t || typeof t !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(t)}`);
    const md = await metadata(topics.length > 0 ? topics : env.model.topicNames());
    return { topics: md.topicMetadata.map((t) => ({ name: t.topic, partitions: t.partitionMetadata })) };
  };

  const fetchTopicOffsets = async (topic: string) => {
    if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    return retrier()(async (bail) => {
      try {
        await cluster.addMultipleTargetTopics([topic]);
        await cluster.refreshMetadataIfNecessary();
        const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => ({ partition: p.partitionId }));
        const high = (await cluster.fetchTopicsOffset([{ topic, fromBeginning: false, partitions }])).pop();
        const low = (await cluster.fetchTopicsOffset([{ topic, fromBeginning: true, partitions }])).pop();
        return (high?.partitions ?? []).map(({ partition, offset }) => ({
          partition, offset, high: offset, low: low?.partitions.find((l) => l.partition === partition)?.offset as string,
        }));
      } catch (e) {
        if ((e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') {
          await cluster.refreshMetadata();
          throw e;
        }
        bail(e);
        return [];
      }
    });
  };

  const fetchTopicOffsetsByTimestamp = async (topic: string, timestamp?: number) => {
    if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    await cluster.addMultipleTargetTopics([topic]);
    await cluster.refreshMetadataIfNecessary();
    const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => ({ partition: p.partitionId }));
    const high = (await cluster.fetchTopicsOffset([{ topic, fromBeginning: false, partitions }])).pop();
    const byTime = (await cluster.fetchTopicsOffset([{ topic, fromTimestamp: timestamp, partitions }])).pop();
    return (byTime?.partitions ?? []).map(({ partition, offset }) => ({
      partition, offset: parseInt(offset, 10) >= 0 ? offset : (high?.partitions.find((h) => h.partition === partition)?.offset as string),
    }));
  };

  const fetchOffsets = async ({ groupId, topics, resolveOffsets = false }: { groupId: string; topics?: string[]; resolveOffsets?: boolean }) => {
    if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${String(groupId)}`);
    const list = topics ?? [];
    if (!Array.isArray(list)) throw new KafkaJSNonRetriableError('Expected topics array to be set');
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    const toFetch: Array<{ topic: string; partition: number }> = [];
    for (const topic of list) {
      await cluster.addMultipleTargetTopics([topic]);
      await cluster.refreshMetadataIfNecessary();
      for (const p of cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId).sort()) toFetch.push({ topic, partition: p });
    }
    const fetched = await coordinator.offsetFetch(groupId, toFetch);
    const byTopic = new Map<string, Array<{ partition: number; offset: string; metadata: string | null }>>();
    for (const f of fetched) {
      byTopic.set(f.topic, [...(byTopic.get(f.topic) ?? []), { partition: f.partition, offset: String(f.offset), metadata: f.metadata || null }]);
    }
    const result = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    if (resolveOffsets) {
      for (const t of result) {
        const offsets = await fetchTopicOffsets(t.topic);
        for (const p of t.partitions) {
          const o2 = offsets.find((x) => x.partition === p.partition);
          if (Number(p.offset) === -2 && o2) p.offset = o2.low;
          if (Number(p.offset) === -1 && o2) p.offset = o2.high;
        }
        await setOffsets({ groupId, topic: t.topic, partitions: t.partitions });
      }
    }
    return result;
  };

  const describeGroups = async (groupIds: string[]) => {
    const groups = [];
    for (const groupId of groupIds) {
      const coordinator = await cluster.findGroupCoordinator({ groupId });
      const described = await retrier()(() => coordinator.describeGroups([groupId]));
      groups.push(...described.map(describedGroup));
    }
    return { groups };
  };

  const setOffsets = async ({ groupId, topic, partitions }: { groupId: string; topic: string; partitions: Array<{ partition: number; offset: string }> }) => {
    if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${String(groupId)}`);
    if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    if (!partitions || partitions.length === 0) throw new KafkaJSNonRetriableError('Invalid partitions');
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    const [description] = await coordinator.describeGroups([groupId]);
    if (!['Empty', 'Dead'].includes(description.state)) {
      throw new KafkaJSNonRetriableError(`The consumer group must have no running instances, current state: ${description.state}`);
    }
    await coordinator.offsetCommit(groupId, '', -1, partitions.map((p) => ({ topic, partition: p.partition, offset: Number(p.offset), metadata: null })));
  };

  const resetOffsets = async ({ groupId, topic, earliest = false }: { groupId: string; topic: string; earliest?: boolean }) => {
    if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${String(groupId)}`);
    if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    await cluster.addMultipleTargetTopics([topic]);
    await cluster.refreshMetadataIfNecessary();
    const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId).sort();
    return setOffsets({ groupId, topic, partitions: partitions.map((partition) => ({ partition, offset: String(cluster.defaultOffset({ fromBeginning: earliest })) })) });
  };

  const listGroups = async () => {
    await cluster.refreshMetadata();
    let groups: Array<{ groupId: string; protocolType: string }> = [];
    for (const nodeId of cluster.getNodeIds()) {
      const broker = await cluster.findBroker({ nodeId });
      groups = groups.concat(await broker.listGroups());
    }
    return { groups };
  };

  const describeCluster = async () => {
    const md = await metadata([]);
    return {
      brokers: md.brokers.map(({ nodeId, host, port }) => ({ nodeId, host, port })),
      controller: md.controllerId == null || md.controllerId === -1 ? null : md.controllerId,
      clusterId: md.clusterId,
    };
  };

  const notSimulated = (name: string) => async () => {
    throw new KafkaJSNotImplemented(`admin.${name}() is not simulated by MQ Lab`);
  };

  return {
    connect: async () => {
      o.reopen();
      await cluster.connect();
      instrumentation.emit(ADMIN_EVENTS.CONNECT);
    },
    disconnect: async () => {
      cluster.disconnect();
      env.model.closeClient(env.handle, 'disconnected');
      instrumentation.emit(ADMIN_EVENTS.DISCONNECT);
    },
    listTopics,
    createTopics,
    deleteTopics,
    createPartitions,
    fetchTopicMetadata,
    describeCluster,
    events: ADMIN_EVENTS,
    fetchOffsets,
    fetchTopicOffsets,
    fetchTopicOffsetsByTimestamp,
    setOffsets,
    resetOffsets,
    describeConfigs: notSimulated('describeConfigs'),
    alterConfigs: notSimulated('alterConfigs'),
    on: (eventName: unknown, listener: (e: InstrumentationEvent) => unknown) =>
      instrumentation.on(ADMIN_EVENTS, 'admin', eventName, listener, logger),
    logger: () => logger,
    listGroups,
    describeGroups,
    deleteGroups: notSimulated('deleteGroups'),
    describeAcls: notSimulated('describeAcls'),
    deleteAcls: notSimulated('deleteAcls'),
    createAcls: notSimulated('createAcls'),
    deleteTopicRecords: notSimulated('deleteTopicRecords'),
    alterPartitionReassignments: notSimulated('alterPartitionReassignments'),
    listPartitionReassignments: notSimulated('listPartitionReassignments'),
  };
}
