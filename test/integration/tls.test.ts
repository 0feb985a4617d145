import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/domain/assessment.js';
import { privateKafka, testCertificates, type PrivateKafka } from '../helpers/private-services.js';
import { spawnProcessor, testSetup, waitFor, type ChildProcessor } from '../helpers/processor.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * A broker whose client port speaks only TLS, with a certificate from a CA made for the test: the processor,
 * given the CA file, connects, creates its topics and assesses; without the CA it refuses the certificate.
 */
describe('Kafka over TLS', () => {
  let kafka: PrivateKafka | undefined;
  const children: ChildProcessor[] = [];
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await kafka?.stop();
  });

  it('verifies the broker with the configured CA, and refuses it without', { timeout: 300_000 }, async () => {
    const certs = await testCertificates();
    kafka = await privateKafka({ tls: { keystore: certs.keystore, keyPassword: certs.keyPassword } });
    await kafka.start();
    const setup = await testSetup();
    const env = { ...setup.env, LENDGUARD_KAFKA_BROKERS: kafka.brokers, LENDGUARD_KAFKA_SSL_CA_FILE: certs.caFile };
    const proc = await spawnProcessor(env, { timeoutMs: 120_000 });
    children.push(proc);

    const plain = new Kafka({ clientId: 'tls-test', brokers: [kafka.plainBrokers], logLevel: logLevel.NOTHING });
    const producer = plain.producer();
    await producer.connect();
    const apps = [1, 2, 3].map((i) => application(`${setup.id}-tls`, i));
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
      () => `assessed over TLS: ${seen.size} of 3`,
    );
    await consumer.disconnect();
    expect([...seen].sort()).toEqual(apps.map((a) => a.applicationId).sort());

    const { LENDGUARD_KAFKA_SSL_CA_FILE: _ca, ...withoutCa } = env;
    const untrusting = await spawnProcessor({ ...withoutCa, LENDGUARD_KAFKA_SSL: 'true', LENDGUARD_KAFKA_GROUP_ID: `${setup.id}-no-ca` }, { waitReady: false });
    children.push(untrusting);
    await waitFor(
      () => /certificate|self.signed|unable to verify/i.test(untrusting.output()),
      60_000,
      () => `no certificate failure reported:\n${untrusting.output().slice(-2000)}`,
    );
    untrusting.child.kill('SIGTERM');
    await untrusting.exited;
  });
});
