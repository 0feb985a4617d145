/**
 * Every Redis key the processor writes is built here, and only here. Layout:
 *   {prefix}v:{spec}:{entity}     sliding-window sorted set (member → event time ms)
 *   {prefix}s:{kind}:{entity}     last two sightings of an identity or device (hash of JSON)
 *   {prefix}a:{applicationId}     the record that first carried the application (dedupe)
 *   {prefix}meta:initialised      when this processor group first started on this Redis (lost-state check)
 * Entities are pseudonyms (or partner ids), never raw identifiers.
 *
 * On Redis Cluster (`hashTags`) the entity is wrapped in a hash tag, {prefix}v:{spec}:{{entity}} and
 * {prefix}s:{kind}:{{entity}}, so that every key of one entity lives in one slot and one script call updates
 * them. On one Redis the keys keep their untagged names, so state written before clusters were supported
 * stays in use.
 */
export interface KeyBuilder {
  velocity(spec: string, entity: string): string;
  sighting(kind: string, entity: string): string;
  application(applicationId: string): string;
  marker(): string;
}

export function createKeyBuilder(prefix: string, opts: { hashTags?: boolean } = {}): KeyBuilder {
  const tag = opts.hashTags ? (entity: string) => `{${entity}}` : (entity: string) => entity;
  return {
    velocity: (spec, entity) => `${prefix}v:${spec}:${tag(entity)}`,
    sighting: (kind, entity) => `${prefix}s:${kind}:${tag(entity)}`,
    application: (applicationId) => `${prefix}a:${applicationId}`,
    marker: () => `${prefix}meta:initialised`,
  };
}
