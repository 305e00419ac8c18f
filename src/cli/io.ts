import { readFile, stat } from "node:fs/promises";

/** Where a command writes: the process's streams, or a test's buffers. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** stderr is a terminal: progress may be shown there (overwritten in place). */
  readonly errIsTTY?: boolean;
  /** stdout is a terminal: control characters are shown as text (see `printable`). */
  readonly outIsTTY?: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  errIsTTY: process.stderr.isTTY === true,
  outIsTTY: process.stdout.isTTY === true,
};

/**
 * Text for a terminal: file names and values come from the change under review, and an escape
 * sequence in one could hide a finding or retitle the window. Control characters other than tab
 * and line feed are written as `\uXXXX` (JSON output has them escaped already).
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** `io` with its stdout made safe for a terminal when it is one. */
export function forTerminal(io: CliIo): CliIo {
  return io.outIsTTY ? { ...io, out: (text) => io.out(printable(text)) } : io;
}

/**
 * `changegate rules | head -1`: once the reader has gone, a write fails with EPIPE. That ends the
 * command quietly with exit 0, as Unix tools end; a closed stderr only silences what follows.
 */
export function endQuietlyOnClosedPipes(exit: (code: number) => void = process.exit): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") return exit(0);
    process.stderr.write(`changegate: cannot write the output: ${error.code ?? error.message}\n`);
    exit(2);
  });
  process.stderr.on("error", () => undefined);
}

/** A failure the CLI reports in one line and exits 2 for. */
export class UsageError extends Error {}

/** Reads one side of `diff`: `/dev/null` is an absent side (added/deleted file); a missing path is an error. */
export async function readSide(path: string): Promise<string | null> {
  if (path === "/dev/null") return null;
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new UsageError(`${path}: no such file`);
    throw new UsageError(`cannot read ${path}: ${unreadable(error)}`);
  }
  if (info.isDirectory()) throw new UsageError(`cannot read ${path}: it is a folder`);
  if (!info.isFile()) throw new UsageError(`cannot read ${path}: not a regular file`);
  return readRequired(path);
}

/** Reads a file the command needs (`what`: "policy file"); failing that, a UsageError saying why. */
export async function readRequired(path: string, what?: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${what ? `${what} ` : ""}${path}: ${unreadable(error)}`);
  }
}

/** Why a file could not be read, in words for the common cases, else the system's code. */
function unreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a folder";
  return code ?? (error as Error).message;
}
