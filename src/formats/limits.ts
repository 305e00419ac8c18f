// Bounds on the work one file may cost; hostile input becomes a problem, never a hang.

/** Deeper nesting than this is refused (real configs stay far below 100 levels). */
export const MAX_DEPTH = 200;

/** Nodes one file may expand to, aliases included ("billion laughs" defence). */
export const MAX_NODES = 2_000_000;

/** Nodes that alias expansion may add to one file: real configs reuse a few small anchors. */
export const MAX_ALIAS_NODES = 100_000;
