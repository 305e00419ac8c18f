import { parsePolicy, problemText } from "../config/policy.js";
import { plural } from "../rules/message.js";
import { readRequired } from "./io.js";
import type { CliIo } from "./io.js";

/**
 * `changegate validate-config FILE`: every problem of the file in one run, one line each as
 * `FILE:LINE: path: message` by line, then how many; exit 2 if there is any.
 */
export async function validateConfigCommand(file: string, io: CliIo): Promise<number> {
  const result = parsePolicy(await readRequired(file, "policy file"));
  if (result.ok) {
    io.out(`${file}: valid\n`);
    return 0;
  }
  for (const problem of result.problems)
    io.err(`${file}:${problem.line}: ${problemText(problem)}\n`);
  io.err(`${plural(result.problems.length, "problem")}\n`);
  return 2;
}
