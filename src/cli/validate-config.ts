import { parsePolicy } from "../config/policy.js";
import { readRequired } from "./io.js";
import type { CliIo } from "./io.js";

/** `changegate validate-config FILE`: every problem on its own line as `path: message`; exit 2 if any. */
export async function validateConfigCommand(file: string, io: CliIo): Promise<number> {
  const result = parsePolicy(await readRequired(file, "policy file"));
  if (result.ok) {
    io.out(`${file}: valid\n`);
    return 0;
  }
  for (const problem of result.problems)
    io.err(`${file}:${problem.line}: ${problem.path}: ${problem.message}\n`);
  return 2;
}
