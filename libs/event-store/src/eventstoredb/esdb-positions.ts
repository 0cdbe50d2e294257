import type { Position } from '@eventstore/db-client';
import type { GlobalPosition } from '../event-store.port';

/**
 * EventStoreDB places an event in $all by two 64-bit numbers, commit and prepare, and orders
 * $all by (commit, prepare). Events of one append share a commit position, so neither number
 * alone both identifies and orders an event. The port's single GlobalPosition packs both,
 * losslessly and order-preserving: commit · 2^64 + prepare. Comparing packed positions is
 * comparing (commit, prepare).
 */
const SHIFT = 64n;
const LOW = (1n << SHIFT) - 1n;

export function packPosition(position: Position): GlobalPosition {
  if (position.commit < 0n || position.prepare < 0n || position.commit > LOW || position.prepare > LOW) {
    throw new RangeError(`EventStoreDB position out of range: ${position.commit}/${position.prepare}`);
  }
  return (position.commit << SHIFT) | position.prepare;
}

export function unpackPosition(packed: GlobalPosition): Position {
  return { commit: packed >> SHIFT, prepare: packed & LOW };
}
