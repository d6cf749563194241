/**
 * The editor typings of the simulated kafkajs (`kafkajs/kafkajs.d.ts`): a program written against kafkajs 2's
 * API type-checks with them alone (as the editor loads them), and a mistake is reported.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const DTS = readFileSync(resolve(here, '../../../simulator/brokers/kafka/kafkajs/kafkajs.d.ts'), 'utf8');

function diagnostics(program: string): string[] {
  const files = new Map([['/kafkajs.d.ts', DTS], ['/program.ts', program]]);
  const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, noEmit: true, types: [], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] };
  const host = ts.createCompilerHost(options);
  const base = { getSourceFile: host.getSourceFile.bind(host), fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host) };
  host.getSourceFile = (name, lang) => (files.has(name) ? ts.createSourceFile(name, files.get(name) as string, lang) : base.getSourceFile(name, lang));
  host.fileExists = (name) => files.has(name) || base.fileExists(name);
  host.readFile = (name) => files.get(name) ?? base.readFile(name);
  const prog = ts.createProgram(['/kafkajs.d.ts', '/program.ts'], options, host);
  return ts.getPreEmitDiagnostics(prog).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('kafkajs.d.ts', () => {
  test('a typical program type-checks', () => {
    expect(diagnostics(`
import { Kafka, logLevel, Partitioners, KafkaJSProtocolError, type EachMessagePayload } from 'kafkajs';
const kafka = new Kafka({ clientId: 'app', brokers: ['localhost:9092'], logLevel: logLevel.WARN });
async function main() {
  const admin = kafka.admin();
  await admin.connect();
  const created: boolean = await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
  const offsets = await admin.fetchTopicOffsets('orders');
  console.log(created, offsets[0].high, offsets[0].low);
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const meta = await producer.send({ topic: 'orders', acks: -1, messages: [{ key: 'k', value: 'v', headers: { h: 'x' } }] });
  console.log(meta[0].baseOffset);
  const consumer = kafka.consumer({ groupId: 'g', sessionTimeout: 30000, heartbeatInterval: 3000 });
  await consumer.connect();
  await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, (e) => console.log(e.payload));
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message, heartbeat }: EachMessagePayload) => {
      console.log(message.value?.toString(), message.offset);
      await heartbeat();
      await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
    },
  });
  consumer.seek({ topic: 'orders', partition: 0, offset: '0' });
  try { await producer.disconnect(); } catch (e) { if (e instanceof KafkaJSProtocolError) console.log(e.type, e.code, e.retriable); }
}
main();
`)).toEqual([]);
  });

  test('a mistake is reported (a consumer without groupId, a message without value)', () => {
    const errors = diagnostics(`
import { Kafka } from 'kafkajs';
const kafka = new Kafka({ clientId: 'app', brokers: ['localhost:9092'] });
kafka.consumer({});
kafka.producer().send({ topic: 't', messages: [{ key: 'k' }] });
`);
    expect(errors.length).toBe(2);
    expect(errors.join('\n')).toMatch(/groupId/);
    expect(errors.join('\n')).toMatch(/value/);
  });
});
