/**
 * The shapes the timeline reads from the API (apps/api/src/journeys/auditing, the journey read
 * model in projections/journeys, the evidence bundle in libs/audit). Declared here rather than
 * imported, so the browser bundle takes no server code with it; only the fields the page uses.
 */

export interface RecordedBy {
  userId: string;
  role: string;
  organisationId: string;
}

/** One event of GET /journeys/:id/history: as stored, with its provenance and ledger hashes. */
export interface HistoryEvent {
  eventId: string;
  revision: number;
  position: string;
  type: string;
  occurredAt: string | null;
  recordedAt: string;
  recordedBy: RecordedBy;
  commandId: string;
  correlationId: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  hash: { eventHash: string; streamHash: string; globalHash: string } | null;
  correctedBy: string[];
}

export interface JourneyHistory {
  journeyId: string;
  events: HistoryEvent[];
}

export interface DecisionView {
  eventId: string;
  stage: 'reasonable_grounds' | 'conclusive_grounds';
  outcome: 'positive' | 'negative';
  decidedAt: string;
  reasonCode?: string;
  /** RG: working days from referral. CG: calendar days from the RG in force. */
  waited: number;
  reconsiderationRequestedOn?: string;
}

export interface EpisodeView {
  number: number;
  referralId: string;
  previousReferralId?: string;
  referredOn: string;
  competentAuthority: string;
  reasonableGroundsTargetOn: string;
  decisions: DecisionView[];
  reasonableGrounds?: { outcome: string; decidedAt: string; workingDays: number; withinTarget: boolean };
  recoveryPeriodEndsOn?: string;
  conclusiveGrounds?: { outcome: string; decidedAt: string; daysFromReasonableGrounds: number; daysFromReferral: number };
  needsAssessments: unknown[];
  care: unknown[];
  exit?: { on: string; reason: string; housing: string; immigrationStatus: string; daysInSupport: number };
  followUps: unknown[];
}

export interface JourneyWait {
  for: 'reasonable_grounds' | 'conclusive_grounds';
  since: string;
  days: number;
  workingDays: number;
  reasonableGroundsTargetOn?: string;
  recoveryPeriodEndsOn?: string;
}

/** GET /journeys/:id: the journey read model with today's waits. */
export interface JourneyView {
  journeyId: string;
  organisationId: string;
  firstResponderId: string;
  firstResponderType: string;
  identifiedOn: string;
  ageGroup: string;
  gender: string;
  nationality: string;
  region: string | null;
  personalData: 'none' | 'held' | 'erased';
  personalDataErasedOn: string | null;
  stage: string;
  status: string;
  asOf: string;
  awaiting: string | null;
  waiting: JourneyWait | null;
  overdue: { reasonableGrounds: boolean; followUp: boolean };
  currentReferralId: string | null;
  episodes: EpisodeView[];
  services: string[];
  totalCareCostPence: number;
  lastPosition: string;
  lastRevision: number;
  lastRecordedAt: string;
}

export interface CorrectionNotice {
  correctionEventId: string;
  correctedEventId: string;
  recordedAt: string;
  position: string;
  changes: Array<{ field: string; value: unknown }>;
  reason: string;
  applied: boolean;
}

/** GET /journeys/:id/state: the read model's view as the journey stood. */
export type JourneyStateAsAt = JourneyView & {
  basis: 'recorded' | 'occurred';
  atPosition: string | null;
  corrections: CorrectionNotice[];
};

/** An event in an evidence bundle: exactly the stored fields. */
export interface BundledEvent {
  position: string;
  streamId: string;
  revision: string;
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface BundledLink {
  position: string;
  revision: string;
  eventHash: string;
  streamHash: string;
  globalHash: string;
}

export interface StreamStatement {
  streamId: string;
  revision: string;
  streamHash: string;
  position: string;
  globalHash: string;
  signedAt: string;
}

export interface SignedHead {
  position: string;
  globalHash: string;
  time: string;
  keyId: string;
  signature: string;
}

/** GET /journeys/:id/evidence (format vjt-evidence-bundle/1). */
export interface EvidenceBundle {
  format: string;
  canonicalization?: string;
  events: BundledEvent[];
  chain: BundledLink[];
  previousGlobalHash: string;
  statement: StreamStatement;
  signature: { algorithm: string; keyId: string; value: string };
  latestHead: SignedHead | null;
  publicKey: { keyId: string; pem: string; jwk: { kty: string; crv: string; x: string } };
}
