/**
 * The course plan: every module and lesson of MQ Lab in teaching order, the ones written and the ones still to
 * come. The home page's course map and the glossary's "taught in" links are built from it.
 *
 * A planned lesson becomes real when `content/lessons/<id>.mdx` exists; from then on the lesson's frontmatter
 * (title, durationMin, concepts) wins over the values here. `test/unit/site/course.test.ts` checks that every lesson
 * file is in this plan under its frontmatter module, in the same order, and that every concept has a glossary entry.
 */

/** A lesson of the plan. `id` is the lesson's file name without `.mdx` (and its URL slug and progress key). */
export interface PlannedLesson {
  id: string;
  title: string;
  /** Estimated reading + exercise time in minutes. */
  durationMin: number;
  /** Glossary terms (or their aliases) the lesson teaches. */
  concepts: string[];
}

/** A module (part) of the course. `title` equals the `module` frontmatter field of its lessons. */
export interface CourseModule {
  title: string;
  /** One sentence: what the module is about. */
  summary: string;
  lessons: PlannedLesson[];
}

export const COURSE: CourseModule[] = [
  {
    title: 'Foundations',
    summary: 'What a broker does, and the five reasons teams put a queue between their programs.',
    lessons: [
      { id: '01-work-queue', title: 'Producers, queues and consumers: the work queue', durationMin: 20,
        concepts: ['message', 'producer', 'consumer', 'queue', 'broker', 'work queue', 'exchange', 'point-to-point', 'competing consumers', 'acknowledgement', 'unacked', 'redelivered', 'prefetch'] },
      { id: '02-message-anatomy', title: 'Inside a message: body, properties and headers', durationMin: 15,
        concepts: ['message', 'message properties', 'routing key', 'exchange'] },
      { id: '03-decoupling', title: 'Decoupling: senders that never meet their receivers', durationMin: 15,
        concepts: ['decoupling', 'producer', 'consumer'] },
      { id: '04-scalability', title: 'Scalability: add workers, not rewrites', durationMin: 15,
        concepts: ['scalability', 'competing consumers', 'throughput', 'prefetch', 'queue depth'] },
      { id: '05-reliability', title: 'Reliability: surviving crashes and restarts', durationMin: 20,
        concepts: ['reliability', 'durable queue', 'persistent message', 'at-least-once delivery'] },
      { id: '06-async-processing', title: 'Asynchronous processing: answer now, work later', durationMin: 15,
        concepts: ['asynchronous processing', 'work queue'] },
      { id: '07-load-leveling', title: 'Load leveling: a queue as a shock absorber', durationMin: 15,
        concepts: ['load leveling', 'queue depth', 'backpressure', 'throughput', 'prefetch'] },
    ],
  },
  {
    title: 'Messaging patterns',
    summary: 'One receiver, many receivers, or an answer back: the three shapes of messaging.',
    lessons: [
      { id: '08-point-to-point', title: 'Point-to-point in depth: ordering and fairness', durationMin: 20,
        concepts: ['point-to-point', 'message ordering', 'prefetch'] },
      { id: '09-publish-subscribe', title: 'Publish/subscribe with a fanout exchange', durationMin: 20,
        concepts: ['publish/subscribe', 'fanout exchange', 'binding'] },
      { id: '10-routing', title: 'Choosing receivers: direct and topic exchanges', durationMin: 25,
        concepts: ['direct exchange', 'topic exchange', 'routing key', 'binding'] },
      { id: '11-request-reply', title: 'Request-reply: reply queues and correlation ids', durationMin: 25,
        concepts: ['request-reply', 'reply queue', 'correlation id'] },
    ],
  },
  {
    title: 'RabbitMQ in practice',
    summary: 'Running RabbitMQ and using its safety features: confirms, dead-lettering, expiry and limits.',
    lessons: [
      { id: '12-rabbitmq-setup', title: 'Running RabbitMQ: connections, channels and virtual hosts', durationMin: 15,
        concepts: ['connection', 'channel', 'virtual host'] },
      { id: '13-publisher-confirms', title: 'Publisher confirms: knowing the broker has it', durationMin: 20,
        concepts: ['publisher confirms', 'persistent message'] },
      { id: '14-dead-lettering', title: 'Dead-letter exchanges and retries', durationMin: 25,
        concepts: ['dead-letter', 'negative acknowledgement', 'poison message'] },
      { id: '15-ttl-and-limits', title: 'Message expiry and queue length limits', durationMin: 20,
        concepts: ['TTL', 'queue length limit', 'dead-letter'] },
    ],
  },
  {
    title: 'Apache Kafka',
    summary: 'A log instead of a queue: partitions, offsets and consumer groups.',
    lessons: [
      { id: '16-kafka-log', title: 'Kafka: a topic is an append-only log', durationMin: 20,
        concepts: ['log', 'topic', 'offset', 'consumer group'] },
      { id: '17-kafka-partitions', title: 'Partitions and message keys', durationMin: 20,
        concepts: ['partition', 'message ordering'] },
      { id: '18-kafka-consumer-groups', title: 'Consumer groups and committed offsets', durationMin: 25,
        concepts: ['consumer group', 'offset', 'rebalance'] },
      { id: '19-kafka-lag', title: 'Consumer lag: falling behind and catching up', durationMin: 15,
        concepts: ['lag', 'throughput'] },
    ],
  },
  {
    title: 'Redis job queues',
    summary: 'Queues built on Redis: plain lists, then a job library with retries and delays.',
    lessons: [
      { id: '20-redis-lists', title: 'A queue from Redis lists', durationMin: 15,
        concepts: ['job queue', 'at-least-once delivery'] },
      { id: '21-redis-job-queues', title: 'Job queues on Redis: retries, delays and backoff', durationMin: 25,
        concepts: ['job queue', 'delayed job', 'retry with backoff'] },
    ],
  },
  {
    title: 'Managed and other brokers',
    summary: 'The same ideas in Amazon SQS, ActiveMQ and Google Cloud Pub/Sub.',
    lessons: [
      { id: '22-sqs-basics', title: 'Amazon SQS: polling and the visibility timeout', durationMin: 20,
        concepts: ['visibility timeout', 'long polling'] },
      { id: '23-sqs-dlq-fifo', title: 'SQS: redrive to a dead-letter queue, and FIFO queues', durationMin: 20,
        concepts: ['dead-letter', 'FIFO queue', 'message ordering'] },
      { id: '24-activemq', title: 'ActiveMQ: JMS queues and topics', durationMin: 20,
        concepts: ['JMS', 'topic', 'point-to-point'] },
      { id: '25-google-pubsub', title: 'Google Cloud Pub/Sub: topics, subscriptions and ack deadlines', durationMin: 20,
        concepts: ['subscription', 'ack deadline', 'publish/subscribe'] },
    ],
  },
  {
    title: 'Queues in production',
    summary: 'Designing messages, handling failure, scaling, securing and watching a messaging system.',
    lessons: [
      { id: '26-message-design', title: 'Designing messages: schemas, versions and size', durationMin: 15,
        concepts: ['message schema', 'message properties'] },
      { id: '27-error-handling', title: 'When handlers fail: retries, poison messages and idempotency', durationMin: 25,
        concepts: ['idempotency', 'poison message', 'retry with backoff', 'dead-letter'] },
      { id: '28-scaling-consumers', title: 'Scaling consumers and partitions', durationMin: 20,
        concepts: ['scalability', 'partition', 'prefetch'] },
      { id: '29-security', title: 'Securing a broker: TLS, users and permissions', durationMin: 15,
        concepts: ['TLS', 'virtual host'] },
      { id: '30-monitoring', title: 'Monitoring: depth, rates, lag and message age', durationMin: 20,
        concepts: ['queue depth', 'throughput', 'lag'] },
      { id: '31-health-checks', title: 'Health checks and alerts', durationMin: 15,
        concepts: ['health check', 'queue depth'] },
    ],
  },
];
