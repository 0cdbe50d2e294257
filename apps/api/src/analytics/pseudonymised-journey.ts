import type { JourneyDocument } from '../../../../projections/journeys/journey.document';
import type { Pseudonymiser } from '../../../../libs/personal-data/src/pseudonyms';

const monthOf = (date: string | undefined | null) => (date ? date.slice(0, 7) : null);

/**
 * A journey as analysts may see it: a pseudonymous id (keyed HMAC; the key never reaches
 * them), months instead of dates, age groups, codes. No names, dates of birth, free text,
 * journey or referral ids (an NRM reference identifies a case), nor organisation ids.
 */
export function pseudonymisedJourney(doc: JourneyDocument, pseudonyms: Pseudonymiser) {
  return {
    pseudonym: pseudonyms.pseudonymOf(doc.journeyId),
    identifiedMonth: monthOf(doc.identifiedOn),
    ageGroup: doc.ageGroup,
    gender: doc.gender,
    nationality: doc.nationality,
    exploitationTypes: doc.exploitationTypes,
    exploitationLocation: doc.exploitationLocation,
    countyLines: doc.countyLines,
    policeForceArea: doc.policeForceArea,
    region: doc.region,
    firstResponderType: doc.firstResponderType,
    stage: doc.stage,
    dutyToNotifyMonth: monthOf(doc.dutyToNotifyOn),
    reReferred: doc.reReferred,
    services: doc.services,
    totalCareCostPence: doc.totalCareCostPence,
    episodes: doc.episodes.map((e) => ({
      number: e.number,
      referredMonth: monthOf(e.referredOn),
      competentAuthority: e.competentAuthority,
      reasonableGrounds: e.reasonableGrounds
        ? { outcome: e.reasonableGrounds.outcome, month: monthOf(e.reasonableGrounds.decidedAt), workingDays: e.reasonableGrounds.workingDays, withinTarget: e.reasonableGrounds.withinTarget }
        : null,
      conclusiveGrounds: e.conclusiveGrounds
        ? { outcome: e.conclusiveGrounds.outcome, month: monthOf(e.conclusiveGrounds.decidedAt), daysFromReferral: e.conclusiveGrounds.daysFromReferral }
        : null,
      needsAssessed: e.needsAssessments.length > 0,
      exit: e.exit ? { month: monthOf(e.exit.on), reason: e.exit.reason, housing: e.exit.housing, immigrationStatus: e.exit.immigrationStatus, daysInSupport: e.exit.daysInSupport } : null,
      followUps: e.followUps.map((f) => ({ monthsSinceExit: f.monthsSinceExit, contactMade: f.contactMade, reExploitationReported: f.reExploitationReported ?? null })),
    })),
  };
}
