/**
 * The glossary: every term the lessons and the course plan use, in our own words. The glossary page lists them
 * alphabetically; lessons link the first bold mention of a term (or alias) to its entry (see
 * `src/lib/glossary-links.ts`), and each entry links to the lessons whose `concepts` name it.
 *
 * `term` is the display name; `aliases` are other spellings matched case-insensitively (plurals of the term and of
 * each alias are matched automatically by adding or removing a trailing "s"). Slugs are derived from `term`.
 */
export interface GlossaryTerm {
  term: string;
  aliases?: string[];
  /** One to three sentences, plain text. */
  definition: string;
}

export const GLOSSARY: GlossaryTerm[] = [
  { term: 'message', definition: 'A self-contained piece of data sent from one program to another through a broker: a body of bytes (often JSON) plus metadata such as headers and properties.' },
  { term: 'producer', aliases: ['publisher'], definition: 'A program that sends messages. It hands them to the broker and does not know which program, if any, will receive them.' },
  { term: 'consumer', definition: 'A program that receives messages from a queue (or a subscription) and processes them. In a work queue consumers are often called workers.' },
  { term: 'queue', definition: 'An ordered buffer inside the broker. Messages enter at the tail and leave from the head, and the queue keeps them until a consumer has taken responsibility for them.' },
  { term: 'broker', aliases: ['message broker'], definition: 'The server between producers and consumers that accepts, stores, routes and hands out messages. RabbitMQ, ActiveMQ and Kafka are brokers.' },
  { term: 'work queue', aliases: ['task queue'], definition: 'A queue shared by a pool of workers so that slow jobs are done in the background, each job by exactly one worker.' },
  { term: 'point-to-point', definition: 'A delivery style in which every message goes to exactly one consumer, even when several consumers read the same queue.' },
  { term: 'competing consumers', definition: 'Several consumers reading from the same queue. The broker spreads the messages among them, which is how processing scales out.' },
  { term: 'acknowledgement', aliases: ['ack', 'manual acknowledgement', 'automatic acknowledgement', 'manual ack', 'auto-ack'], definition: 'A consumer telling the broker it has finished with a message, so the broker may forget it. With manual acks the consumer sends it after the work; with automatic acks the broker assumes it on delivery.' },
  { term: 'negative acknowledgement', aliases: ['nack', 'reject'], definition: 'A consumer telling the broker it could not handle a message. The broker then requeues it or, if told not to, drops or dead-letters it.' },
  { term: 'unacked', aliases: ['unacknowledged'], definition: 'A message that was delivered to a consumer but not yet acknowledged. The broker keeps a copy and requeues it if the consumer goes away.' },
  { term: 'redelivered', aliases: ['redelivery'], definition: 'A flag on a message that the broker had delivered before: it came back to the queue (after a crash, a nack or a channel close) and is being delivered again.' },
  { term: 'prefetch', aliases: ['basic.qos', 'prefetch count'], definition: 'The most unacked messages a consumer may hold at once. A small prefetch spreads slow work fairly; a large one saves round trips for fast work.' },
  { term: 'exchange', aliases: ['default exchange'], definition: 'The part of a RabbitMQ broker that producers publish to. It routes each message to zero or more queues according to its type and its bindings.' },
  { term: 'binding', definition: 'A rule that connects an exchange to a queue, optionally with a pattern the routing key must match.' },
  { term: 'routing key', definition: 'A short string a producer attaches to a message; exchanges compare it with their bindings to choose the queues that get a copy.' },
  { term: 'fanout exchange', aliases: ['fanout'], definition: 'An exchange that copies every message to every queue bound to it, ignoring the routing key.' },
  { term: 'direct exchange', definition: 'An exchange that delivers a message to the queues whose binding key equals the message’s routing key exactly.' },
  { term: 'topic exchange', definition: 'An exchange that matches routing keys against dotted patterns with wildcards (* for one word, # for any number of words).' },
  { term: 'publish/subscribe', aliases: ['pub/sub', 'publish-subscribe'], definition: 'A delivery style in which every subscriber gets its own copy of each message, so one event can trigger many independent reactions.' },
  { term: 'request-reply', aliases: ['rpc'], definition: 'A pattern in which a client sends a request message and waits for a reply message sent back to a queue it names.' },
  { term: 'reply queue', aliases: ['reply-to', 'replyTo'], definition: 'The queue a requester names in a request’s reply-to property, where the responder sends its answer.' },
  { term: 'correlation id', aliases: ['correlationId'], definition: 'An identifier copied from a request into its reply, so a requester with many requests in flight can match each reply to its request.' },
  { term: 'decoupling', definition: 'Producers and consumers do not need each other’s address, do not need to run at the same time and do not need to run at the same speed.' },
  { term: 'scalability', aliases: ['scaling out'], definition: 'Handling more work by adding more consumers (or partitions) rather than making one program faster.' },
  { term: 'reliability', definition: 'Not losing work: messages survive consumer crashes (acks) and broker restarts (durable queues, persistent messages).' },
  { term: 'asynchronous processing', aliases: ['async processing'], definition: 'Answering a caller at once and doing the slow work later, in another process that reads the request from a queue.' },
  { term: 'load leveling', aliases: ['load levelling'], definition: 'Letting a queue absorb bursts of messages so consumers can work at a steady pace instead of being sized for the peak.' },
  { term: 'durable queue', aliases: ['durable'], definition: 'A queue whose definition survives a broker restart. Its messages survive only if they were also published as persistent.' },
  { term: 'persistent message', aliases: ['persistent', 'persistence'], definition: 'A message the broker writes to disk, so that it survives a broker restart when it sits in a durable queue.' },
  { term: 'at-least-once delivery', aliases: ['at least once'], definition: 'A guarantee that every message is processed one or more times: nothing is lost, but a message may arrive again after a failure.' },
  { term: 'publisher confirms', aliases: ['confirm', 'confirms'], definition: 'A RabbitMQ extension in which the broker acknowledges each published message to the producer once it has taken responsibility for it.' },
  { term: 'dead-letter', aliases: ['dead-letter exchange', 'dead-letter queue', 'dlq', 'dead letter'], definition: 'Where messages go when they cannot be delivered or processed: rejected, expired or over a length limit. A dead-letter queue keeps them for inspection or retry.' },
  { term: 'poison message', definition: 'A message that makes its consumer fail every time. Without a retry limit it is redelivered forever and blocks other work.' },
  { term: 'idempotency', aliases: ['idempotent'], definition: 'Handling the same message twice has the same effect as handling it once, which makes at-least-once delivery safe.' },
  { term: 'retry with backoff', aliases: ['backoff', 'exponential backoff'], definition: 'Trying a failed job again after a delay that grows with each attempt, so a struggling dependency gets time to recover.' },
  { term: 'TTL', aliases: ['time-to-live', 'message ttl'], definition: 'How long a message may wait in a queue before it expires and is dropped or dead-lettered.' },
  { term: 'queue length limit', aliases: ['max-length'], definition: 'A cap on the number of messages (or bytes) a queue holds; beyond it the broker drops or dead-letters the oldest messages, or refuses new ones.' },
  { term: 'connection', definition: 'A long-lived TCP connection from a client to the broker. Opening one is expensive, so programs keep it open.' },
  { term: 'channel', definition: 'A lightweight session multiplexed over a connection. Publishing, consuming and acknowledging happen on a channel.' },
  { term: 'virtual host', aliases: ['vhost'], definition: 'A separate namespace of exchanges, queues and permissions inside one RabbitMQ broker.' },
  { term: 'message properties', aliases: ['headers', 'properties'], definition: 'Metadata sent with a message body: content type, persistence, reply-to, correlation id, expiry and free-form headers.' },
  { term: 'message ordering', aliases: ['ordering'], definition: 'Whether consumers see messages in the order they were sent. Queues keep order for one consumer; redeliveries, several consumers and partitions can change it.' },
  { term: 'throughput', definition: 'How many messages a system handles per second.' },
  { term: 'queue depth', aliases: ['queue length', 'backlog'], definition: 'The number of messages waiting in a queue. A depth that keeps growing means consumers are slower than producers.' },
  { term: 'backpressure', definition: 'Slowing producers down when consumers cannot keep up, instead of letting work pile up without limit.' },
  { term: 'log', aliases: ['append-only log', 'commit log'], definition: 'A sequence of records that is only ever appended to and read by position. Kafka stores each partition of a topic as a log.' },
  { term: 'topic', definition: 'A named stream of messages. In Kafka a topic is split into partitions; in JMS and Google Pub/Sub a topic delivers a copy to every subscriber.' },
  { term: 'partition', definition: 'A Kafka topic is split into partitions, each an ordered log. Messages with the same key go to the same partition, so their order is kept.' },
  { term: 'offset', aliases: ['committed offset', 'log-end offset'], definition: 'The position of a record in a partition: 0 for the first, one more for each record appended. The log-end offset is the one the next record will get; a consumer group’s committed offset is the next one it will read, where it resumes after a restart.' },
  { term: 'consumer group', definition: 'A set of Kafka consumers sharing the work of a topic: each partition is read by exactly one member of the group.' },
  { term: 'rebalance', definition: 'Reassigning a topic’s partitions among a consumer group when a member joins, leaves or fails.' },
  { term: 'lag', aliases: ['consumer lag'], definition: 'How far a consumer group is behind the newest record of a partition, counted in records (or in time).' },
  { term: 'job queue', aliases: ['job'], definition: 'A queue of units of work with their own state (waiting, active, completed, failed), attempts and delays, as in Redis-based libraries such as BullMQ.' },
  { term: 'delayed job', aliases: ['delayed message'], definition: 'A job that becomes available to workers only after a given time.' },
  { term: 'visibility timeout', definition: 'In Amazon SQS, how long a received message stays hidden from other consumers. If it is not deleted in time it becomes visible again and is redelivered.' },
  { term: 'long polling', definition: 'Asking a queue for messages and letting the request wait (up to a limit) until one arrives, instead of returning empty at once.' },
  { term: 'FIFO queue', definition: 'An SQS queue type that keeps strict order within a message group and removes duplicates sent within a time window.' },
  { term: 'JMS', aliases: ['java message service'], definition: 'The Java Message Service API, a standard interface to brokers such as ActiveMQ, with queues (point-to-point) and topics (publish/subscribe).' },
  { term: 'subscription', definition: 'In Google Cloud Pub/Sub, a named stream of a topic’s messages for one receiving application; every subscription gets every message.' },
  { term: 'ack deadline', definition: 'In Google Cloud Pub/Sub, how long a subscriber has to acknowledge a message before it is delivered again.' },
  { term: 'message schema', aliases: ['schema'], definition: 'The agreed structure of a message body, with a version, so producers and consumers can change independently.' },
  { term: 'TLS', definition: 'Transport Layer Security: encrypts the connection between clients and the broker and lets each side check the other’s identity.' },
  { term: 'health check', definition: 'A cheap, regular probe that reports whether the broker or a consumer is alive and able to work.' },
];
