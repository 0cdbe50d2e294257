import type { CalendarDate } from '../libs/domain/src/calendar/calendar-date';
import { daysFrom, plusDays } from './dates';
import type { CareService } from '../libs/domain/src/codes';
import type { CareProvided } from '../libs/domain/src/events';
import * as A from './assumptions';
import type { Random } from './random';

export interface CareContext {
  child: boolean;
  uk: boolean;
  /** The journey's support provider (children's services, or a victim care contract subcontractor). */
  providerId: string;
}

/** The victim care contract's prime contractor, which pays financial support. */
export const PRIME_CONTRACTOR = 'msvcc-prime';

/**
 * The care an episode receives from `from` to `lastOpenDay` (its exit, or today when still
 * open). Recurring care (accommodation or outreach, financial support, education) is recorded
 * per period of CARE_PERIOD_DAYS with its cost, when the period closes; a period still running
 * at today is recorded as started, without an end or a cost. One-off services likewise.
 */
export function planCare(rng: Random, ctx: CareContext, from: CalendarDate, lastOpenDay: CalendarDate, exited: boolean): CareProvided[] {
  const care: CareProvided[] = [];
  const accommodation = rng.chance(ctx.child ? (ctx.uk ? A.ACCOMMODATION_SHARE.child_uk : A.ACCOMMODATION_SHARE.child_other) : A.ACCOMMODATION_SHARE.adult);
  recurring(care, accommodation ? 'accommodation' : 'outreach', ctx.providerId, from, lastOpenDay, exited);
  if (!ctx.child && rng.chance(A.SERVICE_SHARE.financial)) recurring(care, 'financial', PRIME_CONTRACTOR, from, lastOpenDay, exited);
  if (ctx.child && rng.chance(A.SERVICE_SHARE.education_child)) recurring(care, 'education', ctx.providerId, plusDays(from, rng.int(7, 60)), lastOpenDay, exited);
  const oneOffs: Array<[keyof typeof A.ONE_OFF_COST_PENCE, number]> = [
    ['counselling', A.SERVICE_SHARE.counselling], ['medical', A.SERVICE_SHARE.medical], ['legal', A.SERVICE_SHARE.legal],
    ['interpreting', ctx.uk ? 0 : A.SERVICE_SHARE.interpreting], ['transport', A.SERVICE_SHARE.transport],
  ];
  for (const [service, share] of oneOffs) {
    if (!rng.chance(share)) continue;
    const startedOn = plusDays(from, rng.int(0, 180));
    if (startedOn > lastOpenDay) continue;
    const [unitPence, minUnits, maxUnits] = A.ONE_OFF_COST_PENCE[service];
    const units = rng.int(minUnits, maxUnits);
    const lasts = service === 'counselling' ? units * 7 : service === 'legal' ? rng.int(7, 120) : rng.int(0, 45);
    let endedOn = plusDays(startedOn, lasts);
    if (endedOn > lastOpenDay) {
      if (!exited) {
        care.push({ occurredAt: startedOn, service, providerId: providerFor(rng, service, ctx), startedOn });
        continue;
      }
      endedOn = lastOpenDay;
    }
    care.push({ occurredAt: endedOn, service, providerId: providerFor(rng, service, ctx), startedOn, endedOn, costPence: unitPence * units });
  }
  return care;
}

function recurring(care: CareProvided[], service: keyof typeof A.DAILY_COST_PENCE, providerId: string, from: CalendarDate, lastOpenDay: CalendarDate, exited: boolean): void {
  const daily = A.DAILY_COST_PENCE[service];
  let startedOn = from;
  while (startedOn <= lastOpenDay) {
    const periodEnd = plusDays(startedOn, A.CARE_PERIOD_DAYS - 1);
    if (periodEnd >= lastOpenDay && !exited) {
      care.push({ occurredAt: startedOn, service, providerId, startedOn });
      return;
    }
    const endedOn = periodEnd < lastOpenDay ? periodEnd : lastOpenDay;
    care.push({ occurredAt: endedOn, service, providerId, startedOn, endedOn, costPence: daily * (daysFrom(startedOn, endedOn) + 1) });
    startedOn = plusDays(endedOn, 1);
  }
}

function providerFor(rng: Random, service: CareService, ctx: CareContext): string {
  if (ctx.child || service === 'transport') return ctx.providerId;
  if (service === 'legal') return `legal-aid-firm-${String(rng.int(1, 30)).padStart(2, '0')}`;
  if (service === 'interpreting') return `interpreting-service-${rng.int(1, 5)}`;
  if (service === 'medical') return `nhs-trust-${String(rng.int(1, 20)).padStart(2, '0')}`;
  return ctx.providerId;
}
