#!/usr/bin/env node
// `npm start` and the Docker image: checks the environment, then runs the App under Probot
// (src/github/startup.ts). dist/ is compiled by `npm run build` (run by `prepare` on install).
import { main } from "../dist/github/startup.js";
import changegate from "../dist/index.js";

await main(changegate, process.argv.slice(2));
