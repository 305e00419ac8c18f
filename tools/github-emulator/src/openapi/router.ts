/**
 * Routes a request (method + path) to its operation in GitHub's REST
 * description. Path templates become regular expressions; parameters marked
 * `x-multi-segment` (contents `path`, commit `ref`, compare `base`/`head`,
 * `branch` ...) may span slashes. When several templates match, the one with
 * the most literal text wins (`/commits/{ref}/check-runs` over `/commits/{ref}`).
 */
import { listOperations, loadSpec, type OpenApiSpec, type Operation } from "./spec.js";

export interface RouteMatch {
  operation: Operation;
  /** Decoded path parameters, still strings. */
  params: Record<string, string>;
}

interface CompiledRoute {
  operation: Operation;
  regex: RegExp;
  names: string[];
  literalLength: number;
}

const MULTI_SEGMENT_NAMES = new Set(["path", "ref", "base", "head", "basehead", "branch"]);

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compile(operation: Operation): CompiledRoute {
  const multi = new Set(
    operation.parameters
      .filter((p) => p.in === "path" && (p["x-multi-segment"] || MULTI_SEGMENT_NAMES.has(p.name)))
      .map((p) => p.name),
  );
  const names: string[] = [];
  let literalLength = 0;
  let pattern = "";
  // A trailing `/{path}` may be absent: `/contents` lists the repository root.
  const optionalPath = operation.pathTemplate.endsWith("/{path}");
  const template = optionalPath
    ? operation.pathTemplate.slice(0, -"/{path}".length)
    : operation.pathTemplate;
  for (const part of template.split(/(\{[^}]+\})/)) {
    const m = /^\{([^}]+)\}$/.exec(part);
    if (m) {
      const name = m[1] as string;
      names.push(name);
      pattern += multi.has(name) ? "(.+?)" : "([^/]+?)";
    } else {
      literalLength += part.length;
      pattern += escapeRegex(part);
    }
  }
  if (optionalPath) {
    names.push("path");
    pattern += "(?:/(.*?))?";
    literalLength += 1;
  }
  return { operation, regex: new RegExp(`^${pattern}/?$`), names, literalLength };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export class Router {
  private readonly byMethod = new Map<string, Map<string, CompiledRoute[]>>();
  private readonly byId = new Map<string, Operation>();

  constructor(spec: OpenApiSpec = loadSpec()) {
    for (const operation of listOperations(spec)) {
      this.byId.set(operation.operationId, operation);
      const route = compile(operation);
      const bucket = firstSegment(operation.pathTemplate);
      let buckets = this.byMethod.get(operation.method);
      if (!buckets) this.byMethod.set(operation.method, (buckets = new Map()));
      const list = buckets.get(bucket) ?? [];
      list.push(route);
      buckets.set(bucket, list);
    }
    for (const buckets of this.byMethod.values()) {
      for (const list of buckets.values()) list.sort((a, b) => b.literalLength - a.literalLength);
    }
  }

  /** `path` is the raw (still percent-encoded) path without the query string. */
  match(method: string, path: string): RouteMatch | undefined {
    const buckets = this.byMethod.get(method.toLowerCase());
    if (!buckets) return undefined;
    for (const route of buckets.get(firstSegment(path)) ?? []) {
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? "");
      });
      return { operation: route.operation, params };
    }
    return undefined;
  }

  operation(operationId: string): Operation | undefined {
    return this.byId.get(operationId);
  }

  /** True when some other method is routed at this path (for 404 vs 405-like answers). */
  hasPath(path: string): boolean {
    for (const method of this.byMethod.keys()) if (this.match(method, path)) return true;
    return false;
  }
}

function firstSegment(path: string): string {
  const end = path.indexOf("/", 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}

let shared: Router | undefined;

/** One router per process: building it takes a few tens of milliseconds. */
export function sharedRouter(): Router {
  return (shared ??= new Router());
}
