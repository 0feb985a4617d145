import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/domain/assessment.js';
import { privateKafka, type PrivateKafka } from '../helpers/private-services.js';
import { spawnProcessor, testSetup, waitFor, type ChildProcessor } from '../helpers/processor.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * A broker that only takes SASL/SCRAM-SHA-512 clients on its client port (its own PLAINTEXT listener is for the
 * broker and this test's checks): the processor authenticates with the configured user, creates its topics,
 * and assesses what arrives; with a wrong password it never becomes ready and says why.
 */
const USER = 'svc-lendguard';
const PASSWORD = 'test-password-0123456789';

describe('Kafka with SASL/SCRAM', () => {
  let kafka: PrivateKafka | undefined;
  const children: ChildProcessor[] = [];
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await kafka?.stop();
  });

  it('authenticates, processes, and refuses a wrong password', { timeout: 300_000 }, async () => {
    kafka = await privateKafka({ sasl: { user: USER, password: PASSWORD } });
    await kafka.start();
    const setup = await testSetup(); // names only: the topics are created by the processor on the private broker
    const env = {
      ...setup.env,
      LENDGUARD_KAFKA_BROKERS: kafka.brokers,
      LENDGUARD_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      LENDGUARD_KAFKA_SASL_USERNAME: USER,
      LENDGUARD_KAFKA_SASL_PASSWORD: PASSWORD,
    };
    const proc = await spawnProcessor(env, { timeoutMs: 120_000 });
    children.push(proc);

    const plain = new Kafka({ clientId: 'sasl-test', brokers: [kafka.plainBrokers], logLevel: logLevel.NOTHING });
    const producer = plain.producer();
    await producer.connect();
    const apps = [1, 2, 3].map((i) => application(`${setup.id}-sasl`, i));
    await producer.send({ topic: setup.topics.applications, messages: apps.map(asMessage) });
    await producer.disconnect();
    const seen = new Set<string>();
    const consumer = plain.consumer({ groupId: `${setup.id}-check`, readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [setup.topics.assessments], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.add((JSON.parse(String(message.value)) as Assessment).applicationId) });
    await waitFor(
      () => seen.size >= 3,
      60_000,
      () => `assessed over SASL: ${seen.size} of 3`,
    );
    await consumer.disconnect();
    expect([...seen].sort()).toEqual(apps.map((a) => a.applicationId).sort());

    const wrong = await spawnProcessor(
      { ...env, LENDGUARD_KAFKA_SASL_PASSWORD: 'wrong-password', LENDGUARD_KAFKA_GROUP_ID: `${setup.id}-wrong` },
      { waitReady: false },
    );
    children.push(wrong);
    await waitFor(
      () => /SASL|[Aa]uthentication/.test(wrong.output()),
      60_000,
      () => `no authentication failure reported:\n${wrong.output().slice(-2000)}`,
    );
    wrong.child.kill('SIGTERM');
    await wrong.exited;
  });
});
