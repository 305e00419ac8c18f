import type { Figure } from "./figures.js";

/** Session persistence of one load-balanced pool, normalised across formats. */
export interface Affinity {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly line: number;
  readonly enabled: boolean;
  /** `lb_cookie`, `app_cookie`, `source_ip`, `ip_hash`, `hash $request_uri`, `cookie`, `ClientIP`, `RING_HASH` ... */
  readonly mode?: string | undefined;
  readonly cookieName?: string | undefined;
  readonly durationSeconds?: Figure | undefined;
}
