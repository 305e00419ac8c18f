import { readFile, stat } from "node:fs/promises";

/** Where a command writes: the process's streams, or a test's buffers. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** A failure the CLI reports in one line and exits 2 for. */
export class UsageError extends Error {}

/** Reads a file; `/dev/null` or a missing path is an absent side (added/deleted file). */
export async function readSide(path: string): Promise<string | null> {
  if (path === "/dev/null") return null;
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (!info.isFile()) throw new UsageError(`cannot read ${path}: not a regular file`);
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export async function readRequired(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${what} ${path}: ${code === "ENOENT" ? "no such file" : (code ?? (error as Error).message)}`,
    );
  }
}
