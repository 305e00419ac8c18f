// Sequential round trips in a recording of the GitHub emulator (bench/app.ts, test/e2e/context.test.ts).
import type { RecordedRequest } from "@changegate/github-emulator";

/**
 * The longest chain of `reads` in which each starts after the previous one was answered: the
 * sequential round trips they cost. With API latency injected, parallel reads arrive together and
 * count once.
 */
export function readChainDepth(reads: readonly RecordedRequest[]): number {
  const sorted = reads
    .filter((read) => read.receivedAt !== undefined)
    .sort((a, b) => a.receivedAt! - b.receivedAt!);
  const depth: number[] = [];
  sorted.forEach((read, i) => {
    let best = 0;
    for (let j = 0; j < i; j++)
      if (sorted[j]!.answeredAt! <= read.receivedAt!) best = Math.max(best, depth[j]!);
    depth.push(best + 1);
  });
  return Math.max(0, ...depth);
}
