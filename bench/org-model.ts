// The org-scale request budget (issue "Performance", goal 4): requests an hour per installation
// from what each event type and each sweep cost, as measured through the emulator by
// bench/org-scale.ts. Pure arithmetic: figures in, figures out.

/** What one delivery of an event type costs the installation, on average. */
export interface EventCost {
  readonly event: string;
  /** This event type's share of all pull-request events (the shares sum to 1). */
  readonly share: number;
  /** Requests charged to the installation per event (a 304 is free). */
  readonly requests: number;
}

/** What the sweeps cost, in the terms that scale with an organisation. */
export interface SweepModel {
  /** Recovery sweeps an hour (one replica sweeps per interval). */
  readonly recoverySweepsPerHour: number;
  /** Charged requests of a recovery sweep in which nothing changed. */
  readonly recoveryQuietRequests: number;
  /**
   * Extra charged requests of recovery per event: what a sweep pays for each event since the
   * previous sweep, times the replicas that sweep in turn (each keeps its own ETags, so each pays
   * once for a pull request that changed since its own last sweep).
   */
  readonly recoveryRequestsPerEvent: number;
  /** A sweep with no ETags yet (a replica's first after it starts), and how many an hour. */
  readonly recoveryColdRequests: number;
  readonly recoveryColdSweepsPerHour: number;
  /** Charged requests of a timed-sweep pass with nothing due, and passes an hour. */
  readonly timedPassRequests: number;
  readonly timedPassesPerHour: number;
  /** Evaluations the timed sweep queues an hour (pull requests whose window opens or closes). */
  readonly timedEvaluationsPerHour: number;
  /** What one of those evaluations costs (an evaluation with no new head, like a recheck). */
  readonly timedEvaluationRequests: number;
}

export interface HourlyBudget {
  /** Requests an hour the events cost themselves. */
  readonly events: number;
  readonly recovery: number;
  readonly timed: number;
  readonly total: number;
}

/** Requests per event, averaged over the mix. */
export const requestsPerEvent = (mix: readonly EventCost[]): number =>
  mix.reduce((sum, event) => sum + event.share * event.requests, 0);

/** What the sweeps cost an hour that does not depend on the event rate. */
const fixedPerHour = (sweeps: SweepModel): number => recoveryFixed(sweeps) + timedPerHour(sweeps);

/** Quiet sweeps, and the extra of the cold ones (a cold sweep replaces a quiet one). */
const recoveryFixed = (sweeps: SweepModel): number =>
  sweeps.recoverySweepsPerHour * sweeps.recoveryQuietRequests +
  sweeps.recoveryColdSweepsPerHour * (sweeps.recoveryColdRequests - sweeps.recoveryQuietRequests);

const timedPerHour = (sweeps: SweepModel): number =>
  sweeps.timedPassesPerHour * sweeps.timedPassRequests +
  sweeps.timedEvaluationsPerHour * sweeps.timedEvaluationRequests;

/**
 * Requests an hour for `eventsPerHour` pull-request events:
 * Σ(rate × cost) + recovery sweeps an hour × a quiet sweep + the sweeps' share of each event
 * + the cold sweeps' extra + timed passes and the evaluations they queue.
 */
export function hourlyBudget(
  eventsPerHour: number,
  mix: readonly EventCost[],
  sweeps: SweepModel,
): HourlyBudget {
  const events = eventsPerHour * requestsPerEvent(mix);
  const recovery = recoveryFixed(sweeps) + eventsPerHour * sweeps.recoveryRequestsPerEvent;
  const timed = timedPerHour(sweeps);
  return { events, recovery, timed, total: events + recovery + timed };
}

/**
 * The most pull-request events an hour one installation serves under `limit` requests an hour
 * (0 when the sweeps alone reach it).
 */
export function largestEventRate(
  limit: number,
  mix: readonly EventCost[],
  sweeps: SweepModel,
): number {
  const perEvent = requestsPerEvent(mix) + sweeps.recoveryRequestsPerEvent;
  const room = limit - fixedPerHour(sweeps);
  if (room <= 0 || perEvent <= 0) return room > 0 ? Infinity : 0;
  return Math.floor(room / perEvent);
}

/**
 * The most open pull requests one installation serves under `limit` requests an hour, when the
 * events and the sweeps' per-PR costs grow with the open PRs as in the measured organisation
 * (`openPulls` open PRs, `eventsPerHour` events an hour): the quiet sweeps and the timed passes
 * stay, everything else scales.
 */
export function largestOrganisation(
  limit: number,
  eventsPerHour: number,
  openPulls: number,
  mix: readonly EventCost[],
  sweeps: SweepModel,
): number {
  const constant =
    sweeps.recoverySweepsPerHour * sweeps.recoveryQuietRequests +
    sweeps.timedPassesPerHour * sweeps.timedPassRequests;
  const perPull = (hourlyBudget(eventsPerHour, mix, sweeps).total - constant) / openPulls;
  if (limit <= constant) return 0;
  return perPull > 0 ? Math.floor((limit - constant) / perPull) : Infinity;
}
