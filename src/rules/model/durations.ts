// The duration parsers live with the formats (src/formats/durations.ts), so the diff reads them too.
export { goSeconds, haproxySeconds, nginxSeconds, protoSeconds } from "../../formats/durations.js";
