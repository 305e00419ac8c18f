import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { printable } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

const TG = (interval: number): string =>
  `resource "aws_lb_target_group" "web" {\n  health_check {\n    interval = ${interval}\n  }\n}\n`;

async function diffMarkdown(outIsTTY: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "cg-tty-"));
  // A name a change controls, holding "conceal" and "set the window title" escapes.
  const after = join(dir, "lb\u001b[8m\u001b]0;owned\u0007.tf");
  writeFileSync(join(dir, "before.tf"), TG(30));
  writeFileSync(after, TG(5));
  let out = "";
  await main(["diff", join(dir, "before.tf"), after, "--format", "markdown"], {
    out: (text) => void (out += text),
    err: () => undefined,
    outIsTTY,
  });
  return out;
}

describe("changegate on a terminal", () => {
  it("shows control characters from the analysed files as text, never sends them", async () => {
    const out = await diffMarkdown(true);
    expect(printable(out)).toBe(out);
    expect(out).toContain("lb\\u001b[8m\\u001b]0;owned\\u0007.tf");
  });

  it("leaves piped output as written", async () => {
    expect(await diffMarkdown(false)).toContain("\u001b[8m");
  });

  it("keeps line ends and tabs", () => {
    expect(printable("a\tb\nc\r\n\u009b")).toBe("a\tb\nc\\u000d\n\\u009b");
  });
});
