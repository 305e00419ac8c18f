// How much of a pool's serving capacity a change takes away, for the rules about servers removed, disabled or
// marked down: HAProxy servers, nginx upstream servers, Traefik servers and Envoy endpoints.
import { nameList, plural } from "../message.js";

/** The members of a pool that take traffic before and after a change, and what was taken out. */
export interface CapacityLoss {
  readonly activeBefore: number;
  readonly activeAfter: number;
  /** Members taken out of rotation; at least 0. */
  readonly lost: number;
  /** `lost` as a whole percentage of `activeBefore`. */
  readonly sharePercent: number;
  /** The last active member went, or at least `highSharePercent` of them. */
  readonly severe: boolean;
}

/**
 * The capacity lost when `activeBefore` members become `activeAfter`; `taken` counts the members taken out when
 * others may have been added meanwhile (it defaults to the difference).
 */
export function capacityLoss(
  activeBefore: number,
  activeAfter: number,
  highSharePercent: number,
  taken = activeBefore - activeAfter,
): CapacityLoss {
  const lost = Math.max(taken, 0);
  const sharePercent = Math.round((lost / Math.max(activeBefore, 1)) * 100);
  const severe = lost > 0 && (activeAfter === 0 || sharePercent >= highSharePercent);
  return { activeBefore, activeAfter, lost, sharePercent, severe };
}

/** "loses 2 of its 6 active servers (web1, web2), 33% of its capacity". */
export function describeLoss(
  loss: CapacityLoss,
  member: string,
  names: readonly string[],
  qualifier = "",
): string {
  return (
    `loses ${loss.lost} of its ${plural(loss.activeBefore, member)}${qualifier} ` +
    `(${nameList(names)}), ${loss.sharePercent}% of its capacity`
  );
}

/**
 * The safe advice for a severe loss: keep the members until the rest are scaled up, or take fewer
 * out at once (fewer than `highSharePercent` of the pool, and never the last one).
 */
export function capacityAdvice(
  loss: CapacityLoss,
  member: string,
  names: readonly string[],
  highSharePercent: number,
): string {
  const fewer = Math.ceil((loss.activeBefore * highSharePercent) / 100) - 1;
  const atOnce =
    fewer > 0 && fewer < loss.activeBefore
      ? `, or take out at most ${plural(fewer, member)} of ${loss.activeBefore} at a time`
      : "";
  // Losing `lost` of `activeBefore` leaves each remaining member activeBefore / activeAfter of its
  // load: 1 of 3 taken out is 50% more for the other two, not the 33% of capacity lost.
  if (loss.activeAfter === 0)
    return `keep ${nameList(names)} until new ${member}s are in rotation and carry the whole load${atOnce}`;
  const more = Math.round((loss.lost / loss.activeAfter) * 100);
  return `keep ${nameList(names)} until the ${loss.activeAfter} remaining ${loss.activeAfter === 1 ? member : `${member}s`} can carry ${more}% more load${atOnce}`;
}
