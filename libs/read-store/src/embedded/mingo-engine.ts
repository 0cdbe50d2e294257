/**
 * The one place the store talks to mingo (MongoDB's query language in memory).
 *
 * It uses mingo's base modules with an explicit operator context rather than the default
 * entry point, because the default context cannot be overridden and we replace `$sort` and
 * the equality query operators with MongoDB-exact versions (bson-order.ts,
 * query-operators.ts). mingo runs with CLONE_OFF; callers make
 * sure what it returns is copied before it leaves the store.
 */
import { Aggregator } from 'mingo/aggregator';
import { Context, ProcessingMode } from 'mingo/core';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { AnyObject, Options } from 'mingo/types';
import { sortDocuments } from './bson-order';
import type { PlainObject } from './codec';
import { equalityOperators } from './query-operators';

function $sort(collection: Iterator, spec: AnyObject): Iterator {
  return collection.transform((docs: AnyObject[]) => Lazy(sortDocuments(docs, spec)));
}

const context = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: { ...pipelineOperators, $sort },
  projection: projectionOperators,
  query: { ...queryOperators, ...equalityOperators },
  window: windowOperators,
} as unknown as Parameters<typeof Context.init>[0]);

const baseOptions: Partial<Options> = {
  context,
  idKey: '_id',
  processingMode: ProcessingMode.CLONE_OFF,
  useStrictMode: true,
  failOnError: true,
};

/** A compiled MongoDB filter. */
export interface Matcher {
  test(doc: PlainObject): boolean;
}

/** Compiles a MongoDB query filter; throws on unknown operators, as the server does. */
export function compileFilter(filter: PlainObject): Matcher {
  return new Query(filter as AnyObject, baseOptions);
}

/** Applies a find projection to documents (which the caller has already copied). */
export function projectDocuments(docs: PlainObject[], projection: PlainObject): PlainObject[] {
  const projected = new Query({}, baseOptions).find(docs, projection as AnyObject).all() as PlainObject[];
  // MongoDB keeps the document's field order (so `_id` first); mingo emits projection order.
  return projected.map((out, i) => {
    const ordered: PlainObject = {};
    for (const key of Object.keys(docs[i])) if (key in out) ordered[key] = out[key];
    return ordered;
  });
}

/** Runs an aggregation pipeline over documents the caller owns (mingo may mutate them). */
export function runPipeline(
  docs: PlainObject[],
  pipeline: PlainObject[],
  collectionResolver: (name: string) => PlainObject[],
): PlainObject[] {
  const aggregator = new Aggregator(pipeline as AnyObject[], {
    ...baseOptions,
    collectionResolver: collectionResolver as Options['collectionResolver'],
  });
  return aggregator.run(docs as AnyObject[]) as PlainObject[];
}
