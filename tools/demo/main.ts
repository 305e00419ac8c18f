// `npm run demo`: the real App server and a local GitHub emulator on 127.0.0.1, replaying the
// postmortem change through signed webhook deliveries. No GitHub account needed.
import { runPostmortemDemo } from "./postmortem.js";
import { startLocalStack } from "./stack.js";
import { colorDiff, displayWidth, renderTerminal } from "./terminal.js";

const color = process.stdout.isTTY === true;
const bold = (text: string) => (color ? `\x1b[1m${text}\x1b[22m` : text);
const indent = (text: string, by: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => (line ? by + line : line))
    .join("\n");
const rule = (title: string) =>
  `${"━".repeat(3)} ${bold(title)} ${"━".repeat(Math.max(3, 72 - title.length))}`;

const stack = await startLocalStack({ logLevel: "error" });
try {
  console.log("Changegate demo: the postmortem load-balancer change as a pull request\n");
  const { comment, checkRun } = await runPostmortemDemo(stack, (step) => {
    console.log(bold(step.step));
    console.log(`   ${step.action}`);
    if (step.diff) console.log(indent(colorDiff(step.diff, color), "     "));
    console.log(`   check: ${step.conclusion ?? "pending"} — ${step.title}\n`);
  });

  console.log(rule(`Final check run "Changegate": ${checkRun.conclusion ?? "pending"}`));
  console.log();
  // The title is plain text (GitHub shows it as is), the summary and text are markdown.
  console.log(`${bold(checkRun.title)}\n${"═".repeat(displayWidth(checkRun.title))}\n`);
  console.log(renderTerminal([checkRun.summary, checkRun.text].join("\n\n"), { color }));
  console.log(rule("Final sticky comment"));
  console.log();
  console.log(renderTerminal(comment, { color }));

  if (stack.github.violations.length > 0) {
    console.error(
      `\nRequests GitHub would reject: ${JSON.stringify(stack.github.violations, null, 2)}`,
    );
    process.exitCode = 1;
  }
} finally {
  await stack.close();
}
