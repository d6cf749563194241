/**
 * The trace: every state change of a run as plain, serializable data. Views, the live region, charts and exercise
 * checks read only the trace (and snapshots folded from it, see `snapshot.ts`); they never reach into the model.
 *
 * Conventions
 * - `t` is the simulated time in ms at which the change takes effect where it happens (at the broker for broker
 *   state, at the client for what a client does).
 * - Something that travels on the wire carries both ends so a view can interpolate its position without state of
 *   its own (raftscope's `sendTime`/`recvTime`): `published` has `t` = sent by the client and `arriveAtMs` = reaches
 *   the exchange; `delivered` has `t` = dispatched by the queue and `arriveAtMs` = reaches the consumer; `acked` /
 *   `nacked` have `sentAtMs` = sent by the client and `t` = processed by the broker.
 * - Ids are strings unique within a run: connections `c1`, channels `c1.ch1`, messages `m1`, consumer tags as the
 *   broker makes them (`amq.ctag-…`).
 * - New brokers (Kafka, SQS, …) add their own kinds to this union; views ignore kinds they do not know.
 */

/** Why a server closed a channel or connection (AMQP 0-9-1 reply code and text, e.g. 404 NOT_FOUND). */
export interface CloseReason {
  code: number;
  text: string;
}

export type ConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** A Kafka broker of the simulated cluster: node id and advertised address. */
export interface KafkaBrokerInfo {
  id: number;
  host: string;
  port: number;
}

/** A Kafka partition as created: its replicas (broker ids, preferred leader first), leader and in-sync replicas. */
export interface KafkaPartitionInfo {
  partition: number;
  replicas: number[];
  leader: number;
  isr: number[];
}

/** The topic configuration the Kafka model applies (Kafka's topic-level config names, simulated ms / bytes). */
export interface KafkaTopicConfigInfo {
  'retention.ms': number;
  'retention.bytes': number;
  'segment.ms': number;
  'segment.bytes': number;
  'min.insync.replicas': number;
}

export type TraceEventInput =
  | { kind: 'connection-opened'; connection: string; label: string }
  | { kind: 'connection-closed'; connection: string; reason?: CloseReason }
  | { kind: 'channel-opened'; channel: string; connection: string }
  | { kind: 'channel-closed'; channel: string; reason?: CloseReason }
  | { kind: 'exchange-declared'; exchange: string; type: string; durable: boolean }
  | { kind: 'exchange-deleted'; exchange: string }
  /** A binding was added (queue.bind) or removed (queue.unbind, or with its queue or exchange). */
  | { kind: 'queue-bound'; queue: string; exchange: string; routingKey: string }
  | { kind: 'queue-unbound'; queue: string; exchange: string; routingKey: string }
  /** An exchange-to-exchange binding: messages `source` routes with a matching key also go through `destination`. */
  | { kind: 'exchange-bound'; source: string; destination: string; routingKey: string }
  | { kind: 'exchange-unbound'; source: string; destination: string; routingKey: string }
  /** `queueType` only for a quorum queue (`x-queue-type`, https://www.rabbitmq.com/docs/quorum-queues). */
  | {
      kind: 'queue-declared';
      queue: string;
      durable: boolean;
      exclusive: boolean;
      autoDelete: boolean;
      queueType?: 'quorum';
    }
  | { kind: 'queue-deleted'; queue: string; messageCount: number }
  | { kind: 'queue-purged'; queue: string; messageCount: number }
  | {
      kind: 'consumer-added';
      queue: string;
      consumerTag: string;
      channel: string;
      noAck: boolean;
      /** Channel prefetch (basic.qos count) in force when the consumer started; 0 = unlimited. */
      prefetch: number;
    }
  | {
      kind: 'consumer-cancelled';
      queue: string;
      consumerTag: string;
      channel: string;
      reason: 'cancelled' | 'channel-closed' | 'queue-deleted';
    }
  | {
      kind: 'consumer-crashed';
      channel: string;
      connection: string;
      /**
       * Messages this client held (received or still on the wire to it, not finished) that the broker will NOT
       * redeliver: deliveries to a noAck consumer are settled when sent, so a crash loses them
       * (https://www.rabbitmq.com/docs/confirms#acknowledgement-modes). Absent when nothing is lost (manual acks:
       * the broker requeues the unacked ones, see `requeued`).
       */
      lostMsgIds?: string[];
    }
  | {
      kind: 'published';
      msgId: string;
      channel: string;
      exchange: string;
      routingKey: string;
      /** Short printable preview of the body (≤ 40 chars). */
      preview: string;
      arriveAtMs: number;
    }
  | {
      kind: 'routed';
      msgId: string;
      exchange: string;
      queues: string[];
      /**
       * Only when the message went through more than one exchange (exchange-to-exchange bindings, alternate
       * exchanges): the exchange whose binding delivered each queue (parallel to `queues`), and the
       * exchange → exchange hops taken.
       */
      via?: string[];
      hops?: Array<{ from: string; to: string }>;
    }
  /**
   * What the inspector shows of a published message beyond its `published` preview: the body as text (cut at
   * `MESSAGE_BODY_CHARS_MAX`), its properties and headers as printable pairs. Recorded right after `published`,
   * only for messages that have properties or headers or a body longer than the preview.
   */
  | {
      kind: 'message-properties';
      msgId: string;
      body: string;
      properties: Array<[string, string]>;
      headers: Array<[string, string]>;
    }
  | { kind: 'enqueued'; msgId: string; queue: string; /** ready messages in the queue after this one */ depth: number }
  | {
      kind: 'dropped';
      msgId: string;
      reason:
        | 'unroutable' | 'queue-deleted' | 'purged' | 'acked-on-delivery' | 'expired' | 'maxlen'
        /**
         * A mandatory message no queue took, sent back to its publisher (basic.return): it left the broker but is
         * not lost.
         */
        | 'returned'
        /** Returned to a quorum queue more often than its `x-delivery-limit` (no dead-letter exchange to take it). */
        | 'delivery_limit'
        /** A transient message (deliveryMode ≠ 2) in a durable classic queue when the broker stopped. */
        | 'transient';
      /**
       * For `expired`, `maxlen` (a queue's length limit), `delivery_limit` and `transient`: the queue it left (a
       * message routed to several queues has a copy in each).
       */
      queue?: string;
    }
  | {
      kind: 'delivered';
      msgId: string;
      queue: string;
      channel: string;
      /** null for basic.get (`channel.get`). */
      consumerTag: string | null;
      deliveryTag: number;
      redelivered: boolean;
      arriveAtMs: number;
    }
  | { kind: 'acked'; msgId: string; queue: string; channel: string; deliveryTag: number; sentAtMs: number }
  | {
      kind: 'nacked';
      msgId: string;
      queue: string;
      channel: string;
      deliveryTag: number;
      requeue: boolean;
      sentAtMs: number;
    }
  | { kind: 'requeued'; msgId: string; queue: string; depth: number }
  /**
   * A message left `queue` for `reason` and the broker republished it to the queue's dead-letter exchange with
   * `routingKey`; `routed` / `enqueued` (or `dropped`) follow for the same msgId (https://www.rabbitmq.com/docs/dlx).
   */
  | {
      kind: 'dead-lettered';
      msgId: string;
      queue: string;
      exchange: string;
      routingKey: string;
      reason: 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';
    }
  /**
   * The broker stopped (a restart, `rabbitmqctl stop_app`): every connection is closed with 320 CONNECTION_FORCED
   * (their `connection-closed` entries follow), then what does not survive a restart goes — non-durable queues
   * (`queue-deleted`) and exchanges (`exchange-deleted`, with their bindings), transient messages of durable
   * classic queues (`dropped`, reason `transient`). Until `broker-started`, connecting fails (connection refused).
   * `restartAtMs`: when it will start again, if that is scheduled.
   */
  | { kind: 'broker-stopped'; restartAtMs?: number }
  /** The broker is running again (`rabbitmqctl start_app`): durable queues keep their persistent messages. */
  | { kind: 'broker-started' }
  /** From now on every frame takes `latencyMs` simulated ms (a slow-network fault). */
  | { kind: 'network-slowed'; latencyMs: number }
  /** A console line; `process` names the process that printed it in a run of several processes. */
  | { kind: 'console'; level: ConsoleLevel; text: string; process?: string }
  /** A program failed; `process` names it in a run of several processes. */
  | { kind: 'program-error'; message: string; line?: number; column?: number; process?: string }
  /** In a run of several processes: process `process` (pid `pid`) started, with `argv` after the file name. */
  | { kind: 'process-started'; process: string; pid: number; args: string[] }
  /**
   * In a run of several processes: a process ended. `how`: 'exited' (nothing left to do, or `process.exit`),
   * 'failed' (uncaught error or unhandled rejection), 'killed' (stopped from outside: a crash fault).
   */
  | { kind: 'process-exited'; process: string; pid: number; code: number; how: 'exited' | 'failed' | 'killed' }
  // ───── Kafka (simulator/brokers/kafka/). Brokers are node ids (numbers); clients `k1`, `k2`… (one per kafkajs
  // producer / consumer / admin, or per scenario client); records carry message numbers N of ids `m<N>`; offsets
  // are plain numbers. Broker-side entries are stamped where the broker acts; `…Sent`/`arriveAtMs` as above.
  /** The simulated cluster at the start of a run. */
  | { kind: 'kafka-cluster'; brokers: KafkaBrokerInfo[]; controller: number }
  /** A broker stopped (controlled shutdown) or started again. */
  | { kind: 'kafka-broker-stopped'; broker: number }
  | { kind: 'kafka-broker-started'; broker: number }
  /** A client (kafkajs producer / consumer / admin) connected; `groupId` for consumers. */
  | {
      kind: 'kafka-client';
      client: string;
      role: 'producer' | 'consumer' | 'admin';
      label: string;
      clientId: string;
      groupId?: string;
    }
  | { kind: 'kafka-client-closed'; client: string; reason: 'disconnected' | 'crashed' | 'process-ended' }
  /** A topic exists now (created by an admin, a scenario, or auto-created by a metadata request). */
  | { kind: 'kafka-topic-created'; topic: string; partitions: KafkaPartitionInfo[]; config: KafkaTopicConfigInfo }
  /** Partitions were added to a topic (`createPartitions`); `partitions` lists only the new ones. */
  | { kind: 'kafka-partitions-created'; topic: string; partitions: KafkaPartitionInfo[] }
  | { kind: 'kafka-topic-deleted'; topic: string }
  /** A partition got a new leader (-1: offline, no in-sync replica alive) and leader epoch. */
  | { kind: 'kafka-leader-changed'; topic: string; partition: number; leader: number; isr: number[]; epoch: number }
  | { kind: 'kafka-isr-changed'; topic: string; partition: number; isr: number[] }
  /** The high watermark of a partition moved (replicas caught up); at `kafka-appended` it is in that entry. */
  | { kind: 'kafka-hw'; topic: string; partition: number; highWatermark: number }
  /**
   * A producer sent one batch of records for one partition (one attempt; a retry is a new entry with the same
   * `msgs`). `keys` / `previews` / `headers` / `timestamps` are per record and present only when some record has
   * one (a record without: null); timestamps otherwise are the send time (CreateTime). Reaches broker `broker` at
   * `arriveAtMs`.
   */
  | {
      kind: 'kafka-produce-sent';
      client: string;
      request: number;
      broker: number;
      topic: string;
      partition: number;
      /** The records' message numbers, or (`msgRange`) evenly spaced ones: first, first + stride, … (count). */
      msgs?: number[];
      msgRange?: { first: number; stride: number; count: number };
      keys?: Array<string | null>;
      previews?: string[];
      /** Instead of `previews` (scenario records): record i's value preview is `${previewStem}${msgs[i]}`. */
      previewStem?: string;
      headers?: Array<Array<[string, string]> | null>;
      timestamps?: number[];
      acks: number;
      attempt: number;
      /** Idempotent producers: producer id and the batch's first sequence number. */
      producerId?: number;
      baseSequence?: number;
      arriveAtMs: number;
    }
  /**
   * The leader appended the records of request (`client`, `request`) at offsets [baseOffset, baseOffset + count);
   * `logEndOffset` / `highWatermark` after the append.
   */
  | {
      kind: 'kafka-appended';
      topic: string;
      partition: number;
      broker: number;
      client: string;
      request: number;
      baseOffset: number;
      count: number;
      logEndOffset: number;
      highWatermark: number;
    }
  /**
   * The broker answered a produce request (acks 1 / all), at `t`, reaching the client at `arriveAtMs`. `error` is
   * Kafka's error name (NOT_ENOUGH_REPLICAS…); `duplicate`: an idempotent retry of a batch already written, answered
   * with its first offset and not written again.
   */
  | {
      kind: 'kafka-produce-response';
      client: string;
      request: number;
      topic: string;
      partition: number;
      baseOffset: number;
      error?: string;
      duplicate?: boolean;
      arriveAtMs: number;
    }
  /** Records [fromOffset, fromOffset + count) left broker `broker` for a consumer's fetch; reach it at `arriveAtMs`. */
  | {
      kind: 'kafka-fetched';
      client: string;
      broker: number;
      topic: string;
      partition: number;
      fromOffset: number;
      count: number;
      highWatermark: number;
      arriveAtMs: number;
      error?: string;
    }
  /** A consumer's handler started on records [offset, offset + count) (eachMessage: count 1). */
  | { kind: 'kafka-processing'; client: string; topic: string; partition: number; offset: number; count: number }
  /** A consumer's handler finished records [offset, offset + count) (started at `startedAtMs`); `error` if it threw. */
  | {
      kind: 'kafka-consumed';
      client: string;
      topic: string;
      partition: number;
      offset: number;
      count: number;
      startedAtMs: number;
      error?: string;
    }
  /** Group coordinator state change (Kafka's group states), with the generation, protocol, leader and members. */
  | {
      kind: 'kafka-group-state';
      group: string;
      state: 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';
      generation: number;
      coordinator: number;
      protocol: string | null;
      leader: string | null;
      members: string[];
    }
  /** A member's JoinGroup was accepted (`rejoin`: it was already a member). */
  | { kind: 'kafka-member-joined'; group: string; member: string; client: string; rejoin: boolean }
  | {
      kind: 'kafka-member-left';
      group: string;
      member: string;
      client: string;
      reason: 'left' | 'session-timeout' | 'rebalance-timeout';
    }
  /** The leader's assignment for `generation`, stored by the coordinator (the group becomes Stable). */
  | {
      kind: 'kafka-assignment';
      group: string;
      generation: number;
      protocol: string;
      assignment: Array<{ member: string; client: string; topics: Array<{ topic: string; partitions: number[] }> }>;
    }
  | { kind: 'kafka-heartbeat'; group: string; member: string; client: string; sentAtMs: number; error?: string }
  /** An OffsetCommit processed by the coordinator at `t` (sent at `sentAtMs`); `error` when rejected. */
  | {
      kind: 'kafka-commit';
      group: string;
      member: string;
      client: string;
      generation: number;
      offsets: Array<{ topic: string; partition: number; offset: number }>;
      sentAtMs: number;
      error?: string;
    }
  /** Client-side consumer actions (kafkajs seek / pause / resume). */
  | { kind: 'kafka-seek'; client: string; topic: string; partition: number; offset: number }
  | { kind: 'kafka-paused'; client: string; topic: string; partitions: number[] | null }
  | { kind: 'kafka-resumed'; client: string; topic: string; partitions: number[] | null }
  /**
   * A client failed: a kafkajs consumer crashed, a send was rejected… (`error`: "Name: message"). A scenario
   * producer's retry of records whose partition has no leader names them (`topic`, `partition`, `msgs`), and
   * `gaveUp` when it gave them up.
   */
  | {
      kind: 'kafka-client-error'; client: string; error: string; restart?: boolean;
      topic?: string; partition?: number; msgs?: number[]; gaveUp?: boolean;
    }
  /** Retention (or deleteRecords) removed records below `logStartOffset` (`count` of them). */
  | {
      kind: 'kafka-records-deleted';
      topic: string;
      partition: number;
      logStartOffset: number;
      count: number;
      reason: 'retention.ms' | 'retention.bytes' | 'delete-records';
    }
  /** A new leader's log was shorter: records at and above `logEndOffset` were lost (not replicated in time). */
  | { kind: 'kafka-truncated'; topic: string; partition: number; logEndOffset: number; lostMsgs: number[] }


/** One trace entry: an input stamped with its simulated time `t` (ms). */
export type TraceEvent = TraceEventInput & { t: number };

export type TraceKind = TraceEvent['kind'];

/** The trace entry of a given kind. */
export type TraceEventOf<K extends TraceKind> = Extract<TraceEvent, { kind: K }>;

/**
 * Read access to a trace, in order. A plain `TraceEvent[]` is one (runs that cross a worker boundary, fixtures);
 * the engine's dense `TraceLog` (core/trace-log.ts) is another: it builds an entry object on each `at`/iteration,
 * so a reader of a long run asks only for what it needs.
 */
export interface TraceReader extends Iterable<TraceEvent> {
  readonly length: number;
  /** Entry at `index` (negative counts from the end), or undefined out of range. */
  at(index: number): TraceEvent | undefined;
  /** Entries [start, end) as a new array. */
  slice(start?: number, end?: number): TraceEvent[];
}
