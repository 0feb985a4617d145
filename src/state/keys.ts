/**
 * Every Redis key the processor writes is built here, and only here. Layout:
 *   {prefix}v:{spec}:{entity}     sliding-window sorted set (member → event time ms)
 * Entities are pseudonyms, never raw identifiers.
 */
export interface KeyBuilder {
  velocity(spec: string, entity: string): string;
}

export function createKeyBuilder(prefix: string): KeyBuilder {
  return {
    velocity: (spec, entity) => `${prefix}v:${spec}:${entity}`,
  };
}
