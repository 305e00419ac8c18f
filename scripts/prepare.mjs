// `prepare` (npm runs it after `npm install`/`npm ci` in a checkout, and before `npm pack`) builds
// dist/. A production install of a checkout (`npm ci --omit=dev`) has no compiler: it skips the
// build instead of failing, because production gets dist/ prebuilt (the packed tarball, the Docker
// build stage).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let compilerInstalled = true;
try {
  require.resolve("typescript");
} catch {
  compilerInstalled = false;
}

if (compilerInstalled) {
  execFileSync("npm", ["run", "build"], { stdio: "inherit" });
} else {
  console.log("prepare: TypeScript is not installed (a production install), dist/ is not built.");
}
