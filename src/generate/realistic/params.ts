/**
 * Every number of the realistic background in one place (docs/generator.md lists them; tests check the structure
 * they produce).
 */
export const REALISTIC = {
  /** People remembered for re-applications, second-hand devices and recycled numbers (older ones are forgotten). */
  rememberedPeople: 30_000,
  /** Entries of the preferential-attachment pools (all cities together). */
  attachEntries: 30_000,
  /** Households still waiting for members to apply, at most. */
  pendingHouseholds: 8_000,
  /** National IDs remembered to keep new ones unique (random IDs would collide now and then). */
  issuedIds: 100_000,
  /** Friends-to-be (listed, not yet applied) remembered, at most. */
  prospects: 4_000,

  /** Share of applications by an earlier applicant (same identity, device(s), address). */
  reapply: 0.12,
  /** Half of the re-applicants applied recently (among the last `recentPeople` new people). */
  reapplyRecent: 0.5,
  recentPeople: 2_000,
  /** A re-applicant tries another partner this often. */
  reapplyNewPartner: 0.5,

  householdSizes: [1, 2, 3, 4] as const,
  householdWeights: [35, 30, 20, 15] as const,
  /** Pending members join at rate pending / (pending + joinScale) (self-balancing: ~1,700 pending in steady state). */
  joinScale: 1_500,
  /** Households with home broadband (the others apply over the mobile network only). */
  broadband: 0.85,
  /** Applications made from home go over the home router this often (else the mobile network). */
  router: 0.7,
  /** Multi-person households with a shared tablet/phone, and how often a member applies from it. */
  sharedDevice: 0.25,
  sharedDeviceUse: 0.35,
  /** A later member shares the founder's surname this often. */
  sharedSurname: 0.6,
  /** Multi-person households where the second member applies with the founder's bank card. */
  familyCard: 0.05,

  employed: 0.7,
  /** Employees apply from the office NAT this often, during office hours (08:00–20:00 Beijing time). */
  officeNat: 0.3,
  officeHours: [8, 20] as const,
  /** Employees of offices this big (medium and big ones) get the truth tag `office` even when they apply from home. */
  officeTagStaff: 30,
  /** Active offices per city: max(6, round(officesPerWeight × city weight)); a full office is replaced by a new one. */
  officesPerWeight: 10,

  /** Mobile-network applications that come out of the city's carrier-grade NAT pool. */
  cgnat: 0.75,
  /** CGNAT addresses per city: max(2, round(weight / 1.5)), used with Zipf weights 1, 1/2, 1/3, … */
  cgnatPerWeight: 1 / 1.5,

  /** Odds that an application at home starts a trip (1–7 days; every application of the trip comes from there). */
  travelChina: 0.012,
  travelAbroad: 0.003,
  /** A trip starts at least this long after the person's last application (getting there takes time). */
  tripMinGapMs: 6 * 3_600_000,

  /** New applicants whose phone is a device an older applicant used. */
  secondHandDevice: 0.005,
  /** New applicants whose number an older applicant used before (the old applicant has a new one). */
  recycledPhone: 0.002,

  /** Contacts listed (1–5). */
  contactCounts: [1, 2, 3, 4, 5] as const,
  contactWeights: [18, 27, 27, 17, 11] as const,
  /** Applicant friends per new applicant (0–3), filled before the non-applicant numbers. */
  friendCounts: [0, 1, 2, 3] as const,
  friendWeights: [20, 40, 27, 13] as const,
  /** Where a friend comes from: a colleague (if employed), a friend's friend (triadic closure), a friend-to-be. */
  colleagueFriend: 0.2,
  triadicClosure: 0.3,
  prospectFriend: 0.12,
  /** A friend lives in the same city this often (else anywhere, by city weight). */
  sameCityFriend: 0.75,
  /** A new household founder is a friend-to-be of an earlier applicant this often (and lists them back 60 %). */
  adoptProspect: 0.15,
} as const;

/** Numbers many applicants list: each new applicant lists popular contact k with probability `share`. */
export const POPULAR_CONTACTS: readonly { role: string; share: number }[] = [
  { role: 'corner shop owner', share: 0.015 },
  { role: 'landlord', share: 0.0165 },
  { role: 'express delivery station', share: 0.018 },
  { role: 'primary school office', share: 0.0195 },
  { role: 'community clinic', share: 0.021 },
  { role: 'property management', share: 0.0225 },
  { role: 'driving school', share: 0.024 },
  { role: 'labour agency', share: 0.026 },
];

/** Partners of the realistic profile: the simple profile's nine plus lenders a 多头 borrower tries next. */
export const EXTRA_PARTNERS = [
  'partner-bank-consumer-finance',
  'partner-credit-card-app',
  'partner-used-car-platform',
  'partner-education-installments',
  'partner-medical-beauty',
  'partner-rental-platform',
] as const;
export const EXTRA_PARTNER_WEIGHTS = [6, 5, 3, 2, 2, 3];
