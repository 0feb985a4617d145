import type { Label, LabelBatch } from '../../store/index.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { buildRingView, ringMemberIds } from '../ring-graph.js';
import { defineRoute, type ApiRoute } from '../router.js';
import { labelBody, ringLabelBody, ringParams } from '../schemas.js';

/**
 * Labels: stored with their audit rows and published to `topics.labels` in the same step. The rows are written in
 * a transaction, the records sent (acks from all in-sync replicas), and only then is the transaction committed: a
 * label the console shows has reached detection. If sending fails, the transaction is rolled back and the request
 * answers 503 (KAFKA_UNAVAILABLE), so nothing is shown. (A send whose acknowledgement was lost, or a commit that
 * fails after the send, can leave detection with a label the console does not show; labelling again repairs it.)
 */
export function storeAndPublish(deps: ApiDeps, batch: Omit<LabelBatch, 'beforeCommit'>): Promise<Label[]> {
  return deps.store.addLabels({ ...batch, beforeCommit: (labels) => deps.labels.publish(labels) });
}

export function labelRoutes(deps: ApiDeps): ApiRoute[] {
  const { store } = deps;
  return [
    defineRoute({
      method: 'POST',
      path: '/api/labels',
      role: 'analyst',
      tag: 'labels',
      summary: 'Label an application fraud or legit: stored, audited and published to the labels topic before it is committed',
      body: labelBody,
      responses: { 201: '{ label: Label }', 503: 'Kafka unavailable: nothing was stored' },
      handle: async ({ body, principal }) => {
        const [label] = await storeAndPublish(deps, {
          applicationIds: [body.applicationId],
          label: body.label,
          note: body.note ?? null,
          author: principal.user.name,
        });
        return { status: 201, body: { label } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/rings/{ringId}/labels',
      role: 'analyst',
      tag: 'rings',
      summary: 'Label every member of a ring (needs "confirm": true): one label and audit row per member, one audit row for the action',
      params: ringParams,
      body: ringLabelBody,
      responses: { 201: '{ ringId, labelled: number, labels: Label[] }', 404: 'no alert names this ring', 503: 'Kafka unavailable: nothing was stored' },
      handle: async ({ params, body, principal }) => {
        const members = ringMemberIds(await store.ringAlertRecords(params.ringId));
        if (members.length === 0) throw new ApiError('NOT_FOUND', `no alert names ring ${params.ringId}`);
        const labels = await storeAndPublish(deps, {
          applicationIds: members,
          label: body.label,
          note: body.note ?? null,
          author: principal.user.name,
          action: { action: 'ring.label', target: `ring:${params.ringId}`, detail: { label: body.label, note: body.note ?? null, members: members.length } },
        });
        return { status: 201, body: { ringId: params.ringId, labelled: labels.length, labels } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/rings/{ringId}',
      role: 'viewer',
      tag: 'rings',
      summary: 'A ring to draw: its latest detail, history, members, and nodes/edges bound through shared pseudonyms (capped)',
      params: ringParams,
      responses: { 200: 'RingView: { ringId, ring, history, members, nodes, edges, limits }', 404: 'no alert names this ring' },
      handle: async ({ params }) => {
        const records = await store.ringAlertRecords(params.ringId);
        if (records.length === 0) throw new ApiError('NOT_FOUND', `no alert names ring ${params.ringId}`);
        const ids = ringMemberIds(records);
        const tagged = new Set(records.map((r) => r.alert.applicationId));
        const [memberAlerts, labels] = await Promise.all([store.latestApplicationAlerts(ids.filter((id) => !tagged.has(id))), store.latestLabels(ids)]);
        return { body: buildRingView(params.ringId, { records, memberAlerts, labels, maxNodes: deps.limits.ringMaxNodes }) };
      },
    }),
  ];
}
