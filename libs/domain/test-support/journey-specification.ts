import { JourneyEvent, RecordedJourneyEvent } from '../src/events';
import { JourneyCommand } from '../src/journey/commands';
import { decide } from '../src/journey/decide';
import { foldJourney } from '../src/journey/decider';
import { JourneyRuleBroken, RuleCode } from '../src/rules';

/**
 * Specifications in the given / when / then form: given these recorded events, when this
 * command arrives, then these events are recorded, or this rule is broken.
 */
export function given(...events: Array<JourneyEvent | RecordedJourneyEvent>) {
  const recorded = events.map((e, i) => ('id' in e ? e : { ...e, id: `event-${i}` }) as RecordedJourneyEvent);
  return {
    when(command: JourneyCommand) {
      const run = () => decide(command, foldJourney(recorded));
      return {
        then(expected: JourneyEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenBreaks(code: RuleCode, field?: string) {
          let error: unknown;
          try {
            run();
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(JourneyRuleBroken);
          expect((error as JourneyRuleBroken).code).toBe(code);
          if (field) expect((error as JourneyRuleBroken).field).toBe(field);
        },
      };
    },
  };
}
