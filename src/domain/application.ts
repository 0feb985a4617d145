/**
 * The loan application as it arrives (contract v1, contracts/loan-application.schema.json) and as it
 * continues after the ingest boundary, with every personal identifier replaced by a pseudonym.
 */

export interface GeoPoint {
  lat: number;
  lon: number;
  accuracyM?: number;
}

export interface DeclaredRegion {
  country?: string;
  region?: string;
  city?: string;
}

/** Validated input, still holding raw personal data. Never leaves the ingest stage. */
export interface RawApplication {
  schemaVersion: 1;
  applicationId: string;
  eventTime: string;
  partnerId?: string;
  product?: string;
  amount?: number;
  currency?: string;
  termMonths?: number;
  applicant: {
    nationalId: string;
    name?: string;
    phone: string;
    email?: string;
    bankAccount?: string;
    address?: string;
    employer?: string;
    declaredRegion?: DeclaredRegion;
    contacts?: string[];
  };
  device: {
    deviceId: string;
    userAgent?: string;
    platform?: 'ios' | 'android' | 'web' | 'other';
    timezone?: string;
    language?: string;
    screen?: string;
    gps?: GeoPoint;
    rooted?: boolean;
    emulator?: boolean;
  };
  network: { ip: string };
  /** Optional figures from an external credit bureau or data provider (docs/rules.md "多头"); null = no figure. */
  bureau?: { multiLenderCount?: number | null };
}

export interface Bureau {
  /** Distinct lenders or platforms the applicant applied to or borrowed from (多头), per the provider. */
  multiLenderCount?: number;
}

/** The kinds of identifier that are pseudonymised. Contacts share the phone namespace on purpose. */
export type IdentifierKind = 'nationalId' | 'name' | 'phone' | 'email' | 'bankAccount' | 'deviceId' | 'address' | 'employer' | 'ip';

/** A pseudonymised identifier: a keyed HMAC (`id`) and a masked display form for analysts. */
export interface Pseudonym {
  id: string;
  masked: string;
}

/** What travels past the ingest boundary: no raw personal value is left in it. */
export interface Application {
  applicationId: string;
  eventTime: string;
  eventTimeMs: number;
  partnerId?: string;
  product?: string;
  amount?: number;
  currency?: string;
  termMonths?: number;
  applicant: {
    nationalId: Pseudonym;
    phone: Pseudonym;
    nameMasked?: string;
    /** Pseudonym of the normalised name, only for distinct counts (names per bank account or phone). */
    nameId?: string;
    email?: Pseudonym;
    bankAccount?: Pseudonym;
    address?: Pseudonym;
    employer?: Pseudonym;
    declaredRegion?: DeclaredRegion;
    contacts: Pseudonym[];
  };
  device: {
    deviceId: Pseudonym;
    userAgent?: string;
    platform?: 'ios' | 'android' | 'web' | 'other';
    timezone?: string;
    language?: string;
    screen?: string;
    /** Kept inside the process for geo checks; outputs carry only derived values. */
    gps?: GeoPoint;
    rooted?: boolean;
    emulator?: boolean;
  };
  network: {
    /** Kept inside the process for enrichment; outputs carry the masked form. */
    ip: string;
    ipId: Pseudonym;
    /** The /24 (IPv4) or /64 (IPv6) network the IP belongs to. */
    subnetId: Pseudonym;
  };
  bureau?: Bureau;
}

/** Where a record came from, for DLQ context and output provenance. */
export interface SourceRef {
  topic: string;
  partition: number;
  offset: string;
  /** Kafka record timestamp, ms since epoch. */
  timestampMs: number;
}
