/**
 * EventStoreDB's commit check for an append, as its index writer decides it (test double).
 *
 *  - Expected `any` / `stream_exists`: if every proposed event id is already in the stream, the
 *    append is an idempotent retry (nothing is written, the original result is returned); if only
 *    some are, it is "corrupted idempotency", which the server reports as wrong expected version.
 *    `stream_exists` on a stream without events fails unless its metadata stream `$$name` exists.
 *  - Expected revision R (`no_stream` is R = -1): R === current writes; R > current fails; R <
 *    current is idempotent only if the events at R+1, R+2, ... carry exactly the proposed ids, in
 *    order, and wrong expected version otherwise.
 */
export type ExpectedRevision =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendDecision =
  | { readonly kind: 'write' }
  | { readonly kind: 'wrong_expected_version' }
  /** Already written: `lastIndex` is the revision of the last event of the original write. */
  | { readonly kind: 'idempotent'; readonly lastIndex: number };

interface HasId {
  readonly id: string;
}

const WRITE: AppendDecision = { kind: 'write' };
const WRONG: AppendDecision = { kind: 'wrong_expected_version' };

export function checkAppend(
  existing: readonly HasId[],
  metaStreamExists: boolean,
  expected: ExpectedRevision,
  proposed: readonly HasId[],
): AppendDecision {
  const current = BigInt(existing.length - 1); // -1 when the stream has no events
  switch (expected.kind) {
    case 'stream_exists':
      if (existing.length === 0 && !metaStreamExists) return WRONG;
      return checkAnyIdempotency(existing, proposed);
    case 'any':
      return checkAnyIdempotency(existing, proposed);
    case 'no_stream':
      return checkExplicit(existing, -1n, current, proposed);
    case 'revision':
      return checkExplicit(existing, expected.revision, current, proposed);
  }
}

function checkAnyIdempotency(existing: readonly HasId[], proposed: readonly HasId[]): AppendDecision {
  if (existing.length === 0 || proposed.length === 0) return WRITE;
  const revisionOf = new Map<string, number>();
  existing.forEach((event, revision) => revisionOf.set(event.id, revision));
  let last = -1;
  for (let i = 0; i < proposed.length; i++) {
    const revision = revisionOf.get(proposed[i].id);
    if (revision === undefined) return i === 0 ? WRITE : WRONG;
    last = revision;
  }
  return { kind: 'idempotent', lastIndex: last };
}

function checkExplicit(
  existing: readonly HasId[],
  expected: bigint,
  current: bigint,
  proposed: readonly HasId[],
): AppendDecision {
  if (expected === current) return WRITE;
  if (expected > current || proposed.length === 0) return WRONG;
  const first = Number(expected) + 1;
  for (let i = 0; i < proposed.length; i++) {
    const stored = existing[first + i];
    if (!stored || stored.id !== proposed[i].id) return WRONG;
  }
  return { kind: 'idempotent', lastIndex: first + proposed.length - 1 };
}
