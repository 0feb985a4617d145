/** The traffic generator as a library: `generateTraffic(opts)` is pure and deterministic per seed. */
export {
  ATTACK_KINDS,
  CHAIN_LINKS,
  DEFAULT_START_MS,
  PATTERNS,
  PROFILES,
  RING_PATTERNS,
  SIMPLE_ATTACK_KINDS,
  SIMPLE_RING_PATTERNS,
  TAGS,
  generateGraphBomb,
  generateTraffic,
  kindsOf,
  parseAttackKinds,
  parseProfile,
  type AttackKind,
  type BombOptions,
  type ChainLink,
  type GeneratedApplication,
  type GraphBombOptions,
  type GroundTruth,
  type Pattern,
  type Profile,
  type RingPattern,
  type Tag,
  type TrafficOptions,
} from './traffic.js';
export { createPacer, batchSizeFor, parseDuration, type Pacer } from './pacer.js';
export { Rng, WeightedTable, hash128 } from './prng.js';
export { isLuhnValid, isValidNationalId, luhnCheckDigit, nationalIdCheckChar, isMainlandMobile } from './identity.js';
export { ABROAD, CN_CITIES, DATACENTERS, cidrRange, ipv4ToNumber, numberToIpv4, type AbroadEntry, type CityEntry, type DatacenterEntry } from './geo-table.js';
export { BOT_UAS, EMULATOR_UAS, makeDevice, type Device, type DevicePlatform } from './devices.js';
