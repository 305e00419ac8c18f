export { pairKept } from "../gcp/pairs.js";
