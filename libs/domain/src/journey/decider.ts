import type { JourneyEvent, RecordedJourneyEvent } from '../events';
import type { JourneyCommand } from './commands';
import { decide } from './decide';
import { JourneyState, evolve, initialState } from './state';

/** The decider: the journey's whole behaviour as three pure functions. */
export interface Decider<Command, Event, RecordedEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: RecordedEvent): State;
  initialState(): State;
}

export const journeyDecider: Decider<JourneyCommand, JourneyEvent, RecordedJourneyEvent, JourneyState> = {
  decide,
  evolve,
  initialState,
};

/** Folds a journey's history into its state. */
export const foldJourney = (events: readonly RecordedJourneyEvent[]): JourneyState =>
  events.reduce(evolve, initialState());
