// docker-compose services as the compose rules read them: their healthchecks with Docker's defaults,
// the host ports they publish, and the names other services reach them by (docs/lb-facts.md §P9).
import { formatPath, key } from "../../diff/path.js";
import { goSeconds } from "../../formats/durations.js";
import {
  child,
  entriesOf,
  itemsOf,
  scalarAt,
  type Scalar,
  type TreeNode,
} from "../../formats/tree.js";
import type { Figure } from "./figures.js";

export interface ComposeService {
  readonly name: string;
  readonly node: TreeNode;
  readonly line: number;
}

/**
 * The services of a Compose file by name: the `services` map, or in the legacy format without it
 * (Compose file version 1) the top-level entries that have an `image` or a `build`.
 */
export function composeServices(tree: TreeNode | null): Map<string, ComposeService> {
  const services = new Map<string, ComposeService>();
  const block = child(tree, "services");
  for (const [name, node] of entriesOf(block ?? tree)) {
    if (node.kind !== "map") continue;
    if (!block && !child(node, "image") && !child(node, "build")) continue;
    services.set(name, { name, node, line: node.line });
  }
  return services;
}

export function servicePath(service: ComposeService, ...keys: string[]): string {
  return formatPath([key("services"), key(service.name), ...keys.map(key)]);
}

/**
 * Docker's healthcheck defaults, used for a field the file leaves out: interval 30 s, timeout
 * 30 s, retries 3 (docs/lb-facts.md §P9).
 */
export const HEALTHCHECK_DEFAULTS = { interval: 30, timeout: 30, retries: 3 } as const;

export interface ComposeHealthcheck {
  readonly line: number;
  /** `disable: true`, or a test of `NONE`: the image's check is turned off too. */
  readonly disabled: boolean;
  /** Undefined when the file holds a value that is not a duration (a variable, a bare number). */
  readonly interval: Figure | undefined;
  readonly timeout: Figure | undefined;
  readonly retries: Figure | undefined;
}

/** The service's `healthcheck`, or undefined without one (the image's own check, if any, applies). */
export function healthcheckOf(service: ComposeService): ComposeHealthcheck | undefined {
  const block = child(service.node, "healthcheck");
  if (!block) return undefined;
  const test = child(block, "test");
  const first = test?.kind === "list" ? itemsOf(test)[0] : test;
  const disabled =
    isTrue(scalarAt(block, "disable")) ||
    (first?.kind === "scalar" && String(first.value).trim().toUpperCase() === "NONE");
  return {
    line: block.line,
    disabled,
    interval: durationFigure(block, "interval", HEALTHCHECK_DEFAULTS.interval),
    timeout: durationFigure(block, "timeout", HEALTHCHECK_DEFAULTS.timeout),
    retries: countFigure(block, "retries", HEALTHCHECK_DEFAULTS.retries),
  };
}

/** A healthcheck that runs: present and not disabled. */
export function runningHealthcheck(
  service: ComposeService | undefined,
): ComposeHealthcheck | undefined {
  const check = service ? healthcheckOf(service) : undefined;
  return check && !check.disabled ? check : undefined;
}

function durationFigure(block: TreeNode, name: string, fallback: number): Figure | undefined {
  const node = child(block, name);
  if (!node) return { value: fallback, line: block.line, explicit: false };
  // Compose durations are strings with units (`1m30s`); a bare number is not read.
  const seconds =
    node.kind === "scalar" && typeof node.value === "string" ? goSeconds(node.value) : undefined;
  return seconds === undefined ? undefined : { value: seconds, line: node.line, explicit: true };
}

function countFigure(block: TreeNode, name: string, fallback: number): Figure | undefined {
  const node = child(block, name);
  if (!node) return { value: fallback, line: block.line, explicit: false };
  const value = node.kind === "scalar" ? Number(node.value) : NaN;
  return Number.isInteger(value) && value > 0
    ? { value, line: node.line, explicit: true }
    : undefined;
}

function isTrue(value: Scalar | undefined): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

/** One host port a service publishes (`ports:`), short (`127.0.0.1:8080:80/udp`) or long syntax. */
export interface PublishedPort {
  readonly service: string;
  /** The host address it listens on; undefined = every interface. */
  readonly hostIp: string | undefined;
  /** The host port or range; undefined when Docker picks one. */
  readonly published: string | undefined;
  readonly target: string;
  readonly protocol: string;
  readonly line: number;
  /** A variable without a default is left in it (`${PORT}`): its value is not known here. */
  readonly templated: boolean;
}

/**
 * A value with Compose's interpolation applied where the file says what it is: `${VAR:-default}`
 * and `${VAR-default}` become the default (the value when the variable is not set); any other
 * variable stays, as `$VAR`, and marks the value as unknown. `$$` is a literal `$`
 * (https://docs.docker.com/reference/compose-file/interpolation/).
 */
export function interpolated(text: string): { text: string; templated: boolean } {
  let templated = false;
  const out = text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*)|[^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match: string, braced?: string, dash?: string, fallback?: string, bare?: string) => {
      if (match === "$$") return "$";
      if (dash !== undefined) return fallback ?? "";
      templated = true;
      return `$${braced ?? bare}`;
    },
  );
  return { text: out, templated };
}

export function publishedPorts(service: ComposeService): PublishedPort[] {
  const ports: PublishedPort[] = [];
  for (const entry of itemsOf(child(service.node, "ports"))) {
    const port =
      entry.kind === "map" ? longPort(service.name, entry) : shortPort(service.name, entry);
    if (port) ports.push(port);
  }
  return ports;
}

/** `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, the IP possibly in brackets (IPv6). */
function shortPort(service: string, node: TreeNode): PublishedPort | undefined {
  if (node.kind !== "scalar" || node.value === null) return undefined;
  const value = interpolated(String(node.value).trim());
  let text = value.text;
  let protocol = "tcp";
  const slash = text.lastIndexOf("/");
  if (slash >= 0) {
    protocol = text.slice(slash + 1).toLowerCase();
    text = text.slice(0, slash);
  }
  let hostIp: string | undefined;
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(text);
  if (bracket) {
    hostIp = bracket[1];
    text = bracket[2]!;
  }
  const parts = text.split(":");
  if (parts.length > 3 || (bracket && parts.length !== 2)) return undefined;
  if (parts.length === 3) hostIp = parts.shift();
  const target = parts.pop()!;
  const published = parts.pop();
  return {
    service,
    hostIp: allInterfaces(hostIp) ? undefined : hostIp,
    published: published === undefined || published === "" ? undefined : published,
    target,
    protocol,
    line: node.line,
    templated: value.templated,
  };
}

function longPort(service: string, node: TreeNode): PublishedPort | undefined {
  const read = (name: string): string | undefined => {
    const value = scalarAt(node, name);
    return value === undefined || value === null ? undefined : String(value);
  };
  const rawTarget = read("target");
  if (rawTarget === undefined) return undefined;
  const target = interpolated(rawTarget);
  const rawPublished = read("published");
  const published = rawPublished === undefined ? undefined : interpolated(rawPublished);
  const hostIp = read("host_ip");
  return {
    service,
    hostIp: allInterfaces(hostIp) ? undefined : hostIp,
    published: published?.text,
    target: target.text,
    protocol: (read("protocol") ?? "tcp").toLowerCase(),
    line: node.line,
    templated: target.templated || Boolean(published?.templated),
  };
}

function allInterfaces(ip: string | undefined): boolean {
  return ip === undefined || ip === "" || ip === "0.0.0.0" || ip === "::";
}

/** How a published port is shown: `127.0.0.1:8080/tcp`, `8080/udp`. */
export function showBinding(port: PublishedPort): string {
  const ip =
    port.hostIp === undefined
      ? ""
      : port.hostIp.includes(":")
        ? `[${port.hostIp}]:`
        : `${port.hostIp}:`;
  return `${ip}${port.published ?? "(any)"}${port.protocol === "tcp" ? "" : `/${port.protocol}`}`;
}

/** The names one service reaches others by, with the line of each reference. */
export interface ServiceReference {
  readonly from: string;
  readonly to: string;
  readonly how: "depends_on" | "links" | "a URL";
  readonly line: number;
}

/** The services `service` names: `depends_on`, `links`, and `scheme://name:` or `scheme://name/` in its strings. */
export function referencesOf(
  service: ComposeService,
  names: ReadonlySet<string>,
): ServiceReference[] {
  const found: ServiceReference[] = [];
  const dependsOn = child(service.node, "depends_on");
  if (dependsOn?.kind === "map")
    for (const [name, node] of entriesOf(dependsOn))
      found.push({ from: service.name, to: name, how: "depends_on", line: node.line });
  for (const node of itemsOf(dependsOn))
    if (node.kind === "scalar" && node.value !== null)
      found.push({
        from: service.name,
        to: String(node.value),
        how: "depends_on",
        line: node.line,
      });
  for (const node of itemsOf(child(service.node, "links")))
    if (node.kind === "scalar" && node.value !== null)
      found.push({
        from: service.name,
        to: String(node.value).split(":")[0]!,
        how: "links",
        line: node.line,
      });
  const visit = (node: TreeNode, skip: boolean): void => {
    if (node.kind === "scalar") {
      if (skip || typeof node.value !== "string") return;
      for (const match of node.value.matchAll(
        // `scheme://[user[:password]@]host`: the host is after the credentials, never the user name.
        /[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s?#]*@)?([A-Za-z0-9_.-]+)(?=[:/?#]|$)/gi,
      ))
        if (names.has(match[1]!))
          found.push({ from: service.name, to: match[1]!, how: "a URL", line: node.line });
      return;
    }
    if (node.kind === "list") for (const item of node.items) visit(item, skip);
    else
      for (const [name, value] of node.entries)
        visit(value, skip || name === "depends_on" || name === "links");
  };
  visit(service.node, false);
  return found;
}

/** Names a service answers to besides its own: network aliases and its container name. */
export function aliasesOf(service: ComposeService): string[] {
  const aliases: string[] = [];
  const containerName = scalarAt(service.node, "container_name");
  if (typeof containerName === "string") aliases.push(containerName);
  for (const [, network] of entriesOf(child(service.node, "networks")))
    for (const alias of itemsOf(child(network, "aliases")))
      if (alias.kind === "scalar" && alias.value !== null) aliases.push(String(alias.value));
  return aliases;
}
