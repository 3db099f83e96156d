/**
 * The case status workflow, as data. new → open → contained → resolved; rejected from new/open;
 * duplicate (of another case) from new/open/contained; reopen from resolved, rejected or duplicate
 * (back to open). Anything else is refused with DomainError 'invalid_transition'.
 */
import { DomainError } from '../core/errors.ts';

export const CASE_STATUSES = ['new', 'open', 'contained', 'resolved', 'rejected', 'duplicate'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = ['open', 'contain', 'resolve', 'reject', 'mark_duplicate', 'reopen'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** action → [from states, to state] */
export const TRANSITIONS: Record<CaseAction, { from: readonly CaseStatus[]; to: CaseStatus }> = {
  open: { from: ['new'], to: 'open' },
  contain: { from: ['open'], to: 'contained' },
  resolve: { from: ['open', 'contained'], to: 'resolved' },
  reject: { from: ['new', 'open'], to: 'rejected' },
  mark_duplicate: { from: ['new', 'open', 'contained'], to: 'duplicate' },
  reopen: { from: ['resolved', 'rejected', 'duplicate'], to: 'open' },
};

export const CLOSED_STATUSES: readonly CaseStatus[] = ['resolved', 'rejected', 'duplicate'];

/** The status after `action`, or invalid_transition. */
export function nextStatus(from: CaseStatus, action: CaseAction): CaseStatus {
  const t = TRANSITIONS[action];
  if (!t.from.includes(from)) {
    throw new DomainError('invalid_transition', `A case that is ${from} cannot ${action.replace('_', ' ')}`, { from, action, allowed: allowedActions(from) });
  }
  return t.to;
}

export const allowedActions = (from: CaseStatus): CaseAction[] =>
  CASE_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(from));
