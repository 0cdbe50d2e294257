import type { JourneyDocument } from '../journeys/journey.document';
import type { Cell } from './cells';
import { afterExitCells } from './facts/after-exit';
import { careCells } from './facts/care';
import { dataQualityCells } from './facts/data-quality';
import { decisionsCells } from './facts/decisions';
import { exitsCells } from './facts/exits';
import { flowCells } from './facts/flow';
import { reconsiderationsCells } from './facts/reconsiderations';
import { referralsCells } from './facts/referrals';
import { waitingCells } from './facts/waiting';

/** Every metric family of the cube: each a pure function from a journey to its cells. */
export const CELL_FAMILIES: ReadonlyArray<(doc: JourneyDocument) => Cell[]> = [
  referralsCells, decisionsCells, waitingCells, reconsiderationsCells, careCells, exitsCells, afterExitCells, dataQualityCells, flowCells,
];
