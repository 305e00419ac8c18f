import type { CliIo } from "./io.js";

/** A progress line on stderr, rewritten in place; nothing at all when stderr is not a terminal. */
export interface Progress {
  /** `changegate: <what> <done>/<total> <unit>` (default `files`), over the previous line. */
  readonly step: (what: string, unit?: string) => (done: number, total: number) => void;
  /** Erases the line, so that what follows starts on a clean one. */
  readonly clear: () => void;
}

const CLEAR_TO_END = "\u001b[K";

export function progressOn(io: CliIo): Progress {
  if (!io.errIsTTY) return { step: () => () => undefined, clear: () => undefined };
  let shown = false;
  return {
    step:
      (what, unit = "files") =>
      (done, total) => {
        shown = true;
        io.err(`\rchangegate: ${what} ${done}/${total} ${unit}${CLEAR_TO_END}`);
      },
    clear: () => {
      if (shown) io.err(`\r${CLEAR_TO_END}`);
      shown = false;
    },
  };
}
