// The process entry (bin/changegate.js runs its compiled form): the CLI on the process's streams.
import { endQuietlyOnClosedPipes } from "./io.js";
import { main } from "./main.js";

endQuietlyOnClosedPipes();
process.exitCode = await main(process.argv.slice(2));
