// `npm run demo`: the real App server and a local GitHub emulator on 127.0.0.1, replaying the
// postmortem change through signed webhook deliveries. No GitHub account needed.
import { runPostmortemDemo } from "./postmortem.js";
import { startLocalStack } from "./stack.js";

const stack = await startLocalStack({ logLevel: "error" });
try {
  console.log("Changegate demo: the postmortem load-balancer change as a pull request\n");
  const { comment } = await runPostmortemDemo(stack, (step) => {
    console.log(`${step.step}\n   check: ${step.conclusion ?? "pending"} — ${step.title}\n`);
  });
  console.log("Final sticky comment:\n");
  console.log(comment.replace(/<!-- changegate:state [^>]*-->/, "").trim());
  if (stack.github.violations.length > 0) {
    console.error(
      `\nRequests GitHub would reject: ${JSON.stringify(stack.github.violations, null, 2)}`,
    );
    process.exitCode = 1;
  }
} finally {
  await stack.close();
}
