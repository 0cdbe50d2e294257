/**
 * The caseload's filters, as they stand in the page's query string and as they go to
 * GET /journeys: a referral reference, a status, overdue or not, and the page. Only ids and
 * codes, never personal data.
 */
import { JOURNEY_STATUSES, type JourneyStatus } from './api-types';

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;
/** A referral reference as the API accepts it (apps/api/src/journeys/steps/refer-victim.dto.ts REFERENCE, 64 characters at most). */
export const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_\-/.]*$/;
export const REFERENCE_MAX_LENGTH = 64;

export type OverdueFilter = '' | 'true' | 'false';

export interface CaseloadFilters {
  reference: string;
  status: JourneyStatus | '';
  overdue: OverdueFilter;
  page: number;
  pageSize: number;
}

export interface FilterProblem {
  /** The id of the form field the problem is about. */
  field: 'reference' | 'status' | 'overdue' | 'pageSize';
  message: string;
}

export const NO_FILTERS: CaseloadFilters = { reference: '', status: '', overdue: '', page: 1, pageSize: DEFAULT_PAGE_SIZE };

/** The filters of a query string; values the page would never write are dropped, with a problem for each. */
export function filtersOf(params: URLSearchParams): { filters: CaseloadFilters; problems: FilterProblem[] } {
  const problems: FilterProblem[] = [];
  const reference = (params.get('reference') ?? '').trim();
  const referenceProblem = checkReference(reference);
  if (referenceProblem) problems.push(referenceProblem);
  const statusText = params.get('status') ?? '';
  const status = (JOURNEY_STATUSES as readonly string[]).includes(statusText) ? (statusText as JourneyStatus) : '';
  if (statusText && !status) problems.push({ field: 'status', message: 'That status is not one the caseload knows: choose one from the list.' });
  const overdueText = params.get('overdue') ?? '';
  const overdue: OverdueFilter = overdueText === 'true' || overdueText === 'false' ? overdueText : '';
  const pageText = params.get('page') ?? '';
  const page = /^\d{1,7}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  const sizeText = Number(params.get('pageSize') ?? DEFAULT_PAGE_SIZE);
  const pageSize = (PAGE_SIZES as readonly number[]).includes(sizeText) ? sizeText : DEFAULT_PAGE_SIZE;
  return { filters: { reference: referenceProblem ? '' : reference, status, overdue, page, pageSize }, problems };
}

/** Mirrors the API's check of a reference, so a typing slip is explained before anything is sent. */
export function checkReference(reference: string): FilterProblem | undefined {
  if (!reference) return undefined;
  if (reference.length > REFERENCE_MAX_LENGTH) return { field: 'reference', message: `A reference is at most ${REFERENCE_MAX_LENGTH} characters.` };
  if (!REFERENCE.test(reference)) return { field: 'reference', message: 'A reference has letters, digits and - _ / . only, for example NRM-2024-00011.' };
  return undefined;
}

/** The page's query string for these filters: defaults left out, so the plain caseload is just /app. */
export function paramsOf(filters: CaseloadFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.reference) params.set('reference', filters.reference);
  if (filters.status) params.set('status', filters.status);
  if (filters.overdue) params.set('overdue', filters.overdue);
  if (filters.page > 1) params.set('page', String(filters.page));
  if (filters.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(filters.pageSize));
  return params;
}

/** The API's query for these filters (the organisation is the worker's own: the API sees to it). */
export function apiQueryOf(filters: CaseloadFilters): Record<string, string | number | undefined> {
  return {
    reference: filters.reference || undefined,
    status: filters.status || undefined,
    overdue: filters.overdue || undefined,
    page: filters.page,
    pageSize: filters.pageSize,
  };
}

export const isFiltered = (filters: CaseloadFilters): boolean => !!(filters.reference || filters.status || filters.overdue);
