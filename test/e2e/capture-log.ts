import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger } from "probot";
import { beforeEach } from "vitest";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

/** A logger for the App under test and what it wrote (one pino JSON line each). */
export interface CapturedLog {
  readonly log: Logger;
  readonly lines: string[];
  /** The `msg` of every line at `level` or above (pino levels: warn 40, error 50, fatal 60). */
  messages(level?: LogLevel): string[];
}

/**
 * A pino logger (what Probot takes as `log`) that keeps its lines in memory instead of printing
 * them: tests that make the App fail on purpose stay quiet, and can assert on what it logged.
 * Production logging is Probot's own (`probot run`), untouched.
 */
export function captureLog(level: LogLevel = "warn"): CapturedLog {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const log = pino({ level }, sink) as unknown as Logger;
  return {
    log,
    lines,
    messages: (atLeast = "trace") =>
      lines
        .map((line) => JSON.parse(line) as { level: number; msg?: string })
        .filter((entry) => entry.level >= pino.levels.values[atLeast]!)
        .map((entry) => entry.msg ?? ""),
  };
}

/**
 * Prints what `captured` logged during a test when that test fails (and nothing when it passes),
 * so a failure keeps the App's own account of it.
 */
export function printLogOnFailure(captured: CapturedLog): void {
  beforeEach(({ onTestFailed }) => {
    const from = captured.lines.length;
    onTestFailed(() => {
      const logged = captured.lines.slice(from);
      if (logged.length > 0)
        process.stderr.write(`The App logged during this test:\n${logged.join("\n")}\n`);
    });
  });
}
