/**
 * Every Redis key the processor writes is built here, and only here. Layout:
 *   {prefix}v:{spec}:{entity}     sliding-window sorted set (member → event time ms)
 *   {prefix}s:{kind}:{entity}     last two sightings of an identity or device (hash of JSON)
 *   {prefix}a:{applicationId}     the record that first carried the application (dedupe)
 *   {prefix}meta:initialised      when this processor group first started on this Redis (lost-state check)
 * Entities are pseudonyms (or partner ids), never raw identifiers.
 */
export interface KeyBuilder {
  velocity(spec: string, entity: string): string;
  sighting(kind: string, entity: string): string;
  application(applicationId: string): string;
  marker(): string;
}

export function createKeyBuilder(prefix: string): KeyBuilder {
  return {
    velocity: (spec, entity) => `${prefix}v:${spec}:${entity}`,
    sighting: (kind, entity) => `${prefix}s:${kind}:${entity}`,
    application: (applicationId) => `${prefix}a:${applicationId}`,
    marker: () => `${prefix}meta:initialised`,
  };
}
