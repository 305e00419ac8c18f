// HAProxy configs: global, one unnamed defaults, frontends (binds, ACLs, ordered http-request/use_backend rules)
// and backends (balance, health checks, cookie, default-server, servers with parameters). Styles: indentation,
// blanks between words, quoted arguments, comments, blank lines, shuffled proxies, keyword lines (rules of one
// keyword keep their order) and server parameters, LF or CRLF.
import fc from "fast-check";
import { listNode, mapNode, scalarNode, type TreeNode } from "../../../src/formats/tree.js";
import {
  chance,
  changed,
  duration,
  ipPort,
  name,
  pick,
  randomFrom,
  shuffle,
  shuffleKeepingGroups,
  type ConfigGenerator,
  type Leaf,
  type Random,
  type Value,
} from "./common.js";

interface Cell {
  value: Value;
}

export type HaproxyLine =
  /** `keyword args`: true = no argument. */
  | { readonly kind: "plain"; readonly keyword: string; readonly cell: Cell }
  /** `keyword key args` (timeout, option, bind, acl, stats, stick); an option false is `no option key`. */
  | { readonly kind: "keyed"; readonly keyword: string; readonly key: string; readonly cell: Cell }
  /** Rules evaluated in order (http-request, use_backend, http-check). */
  | { readonly kind: "ordered"; readonly keyword: string; readonly text: string }
  | {
      readonly kind: "server";
      readonly name: string;
      readonly address: Cell;
      readonly params: [string, Cell][];
    }
  | { readonly kind: "default-server"; readonly params: [string, Cell][] };

export interface HaproxySection {
  readonly kind: "global" | "defaults" | "frontend" | "backend";
  readonly name?: string;
  readonly lines: HaproxyLine[];
}

export interface HaproxyConfig {
  readonly sections: HaproxySection[];
}

const plain = (keyword: string, value: Value): HaproxyLine => ({
  kind: "plain",
  keyword,
  cell: { value },
});
const keyed = (keyword: string, k: string, value: Value): HaproxyLine => ({
  kind: "keyed",
  keyword,
  key: k,
  cell: { value },
});

/** Picks a few distinct entries of a table and draws each one's line. */
function some(
  table: Record<string, fc.Arbitrary<HaproxyLine>>,
  maxLength: number,
): fc.Arbitrary<HaproxyLine[]> {
  return fc
    .uniqueArray(fc.constantFrom(...Object.keys(table)), { maxLength })
    .chain((keys) =>
      keys.length === 0 ? fc.constant([]) : fc.tuple(...keys.map((k) => table[k]!)),
    );
}

const timeoutValue = fc.oneof(duration, fc.integer({ min: 100, max: 60_000 }));
const timeout = (k: string): fc.Arbitrary<HaproxyLine> =>
  timeoutValue.map((v) => keyed("timeout", k, v));
const option = (k: string, values: fc.Arbitrary<Value> = fc.boolean()): fc.Arbitrary<HaproxyLine> =>
  values.map((v) => keyed("option", k, v));

const GLOBAL = {
  maxconn: fc.integer({ min: 100, max: 100_000 }).map((n) => plain("maxconn", n)),
  daemon: fc.constant(plain("daemon", true)),
  nbthread: fc.integer({ min: 1, max: 16 }).map((n) => plain("nbthread", n)),
  user: fc.constant(plain("user", "haproxy")),
  pidfile: fc.constant(plain("pidfile", "/var/run/haproxy.pid")),
  "tune.ssl.default-dh-param": fc.constant(plain("tune.ssl.default-dh-param", 2048)),
  "stats socket": fc
    .constantFrom("/var/run/haproxy.sock mode 660 level admin", "ipv4@127.0.0.1:9999 level user")
    .map((v) => keyed("stats", "socket", v)),
};

const DEFAULTS = {
  mode: fc.constantFrom("http", "tcp").map((v) => plain("mode", v)),
  log: fc.constant(plain("log", "global")),
  retries: fc.integer({ min: 0, max: 5 }).map((n) => plain("retries", n)),
  maxconn: fc.integer({ min: 100, max: 10_000 }).map((n) => plain("maxconn", n)),
  "timeout connect": timeout("connect"),
  "timeout client": timeout("client"),
  "timeout server": timeout("server"),
  "timeout queue": timeout("queue"),
  "timeout http-request": timeout("http-request"),
  "option httplog": option("httplog"),
  "option redispatch": option("redispatch"),
  "option http-server-close": option("http-server-close"),
  "option forwardfor": option("forwardfor", fc.constantFrom<Value>(true, "except 127.0.0.0/8")),
};

const BINDS = [":80", ":443", "*:8080", "10.0.0.1:8443"];

const frontend = fc
  .tuple(
    name,
    fc.uniqueArray(fc.constantFrom(...BINDS), { minLength: 1, maxLength: 2 }),
    fc.boolean(),
    some(
      {
        mode: fc.constant(plain("mode", "http")),
        maxconn: fc.integer({ min: 100, max: 10_000 }).map((n) => plain("maxconn", n)),
        "timeout client": timeout("client"),
        "option forwardfor": option("forwardfor", fc.constant(true)),
        default_backend: name.map((n) => plain("default_backend", n)),
      },
      4,
    ),
    fc.uniqueArray(fc.constantFrom("is_api", "is_static", "blocked"), { maxLength: 2 }),
    fc.subarray([
      "set-header X-Forwarded-Proto https if { ssl_fc }",
      "redirect scheme https unless { ssl_fc }",
      "deny if blocked",
    ]),
  )
  .map(([frontendName, binds, secure, settings, acls, rules]): HaproxySection => {
    const criteria: Record<string, string> = {
      is_api: "path_beg /api",
      is_static: "path_end .css .js .png",
      blocked: "src 10.66.0.0/16",
    };
    return {
      kind: "frontend",
      name: frontendName,
      lines: [
        ...binds.map((bind) =>
          keyed(
            "bind",
            bind,
            bind === ":443" && secure ? "ssl crt /etc/ssl/site.pem alpn h2,http/1.1" : true,
          ),
        ),
        ...settings,
        ...acls.map((acl) => keyed("acl", acl, criteria[acl]!)),
        ...rules.map((text): HaproxyLine => ({ kind: "ordered", keyword: "http-request", text })),
        ...acls
          .filter((acl) => acl !== "blocked")
          .map((acl): HaproxyLine => ({
            kind: "ordered",
            keyword: "use_backend",
            text: `${acl.slice(3)} if ${acl}`,
          })),
      ],
    };
  });

const SERVER_PARAMS: Record<string, fc.Arbitrary<Value>> = {
  check: fc.constant(true),
  backup: fc.constant(true),
  ssl: fc.constant(true),
  "send-proxy": fc.constant(true),
  inter: fc.oneof(duration, fc.integer({ min: 100, max: 10_000 })),
  fall: fc.integer({ min: 1, max: 10 }),
  rise: fc.integer({ min: 1, max: 10 }),
  weight: fc.integer({ min: 0, max: 256 }),
  maxconn: fc.integer({ min: 1, max: 10_000 }),
  slowstart: duration,
  cookie: fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/),
  port: fc.constantFrom(80, 8080, 9000),
};

const serverParams = (maxLength: number): fc.Arbitrary<[string, Cell][]> =>
  fc
    .uniqueArray(fc.constantFrom(...Object.keys(SERVER_PARAMS)), { maxLength })
    .chain((params) =>
      params.length === 0
        ? fc.constant([])
        : fc.tuple(
            ...params.map((p) => SERVER_PARAMS[p]!.map((v): [string, Cell] => [p, { value: v }])),
          ),
    );

const server = fc
  .tuple(name, ipPort, serverParams(5))
  .map(([serverName, address, params]): HaproxyLine => ({
    kind: "server",
    name: serverName,
    address: { value: address },
    params,
  }));

const backend = fc
  .tuple(
    name,
    some(
      {
        balance: fc
          .constantFrom("roundrobin", "leastconn", "source", "uri whole")
          .map((v) => plain("balance", v)),
        mode: fc.constantFrom("http", "tcp").map((v) => plain("mode", v)),
        retries: fc.integer({ min: 0, max: 5 }).map((n) => plain("retries", n)),
        cookie: fc
          .constantFrom(
            "SRV insert indirect nocache",
            "JSESSIONID prefix nocache",
            "SERVERID insert maxidle 30m",
          )
          .map((v) => plain("cookie", v)),
        "stick-table": fc.constant(plain("stick-table", "type ip size 200k expire 30m")),
        "stick on": fc.constant(keyed("stick", "on", "src")),
        "hash-type": fc.constant(plain("hash-type", "consistent")),
        "timeout server": timeout("server"),
        "timeout check": timeout("check"),
        "option httpchk": option("httpchk", fc.constantFrom<Value>(true, "GET /health", "HEAD /")),
        "option redispatch": option("redispatch"),
        "default-server": serverParams(4)
          .filter((params) => params.length > 0)
          .map((params): HaproxyLine => ({ kind: "default-server", params })),
      },
      6,
    ),
    fc.subarray(["expect status 200", "send meth GET uri /health"]),
    fc.uniqueArray(server, { maxLength: 4, selector: (s) => (s as { name: string }).name }),
  )
  .map(([backendName, settings, checks, servers]): HaproxySection => ({
    kind: "backend",
    name: backendName,
    lines: [
      ...settings,
      ...checks.map((text): HaproxyLine => ({ kind: "ordered", keyword: "http-check", text })),
      ...servers,
    ],
  }));

const config: fc.Arbitrary<HaproxyConfig> = fc
  .record({
    global: fc.option(some(GLOBAL, 5), { nil: undefined }),
    defaults: fc.option(some(DEFAULTS, 8), { nil: undefined }),
    frontends: fc.uniqueArray(frontend, { maxLength: 2, selector: (s) => s.name }),
    backends: fc.uniqueArray(backend, { maxLength: 3, selector: (s) => s.name }),
  })
  .map(({ global, defaults, frontends, backends }) => ({
    sections: [
      ...(global ? [{ kind: "global" as const, lines: global }] : []),
      ...(defaults ? [{ kind: "defaults" as const, lines: defaults }] : []),
      ...frontends,
      ...backends,
    ],
  }));

// --- leaves ---

function cellLeaf(path: readonly string[], cell: Cell): Leaf {
  return { path, change: () => void (cell.value = changed(cell.value)) };
}

function leaves(config: HaproxyConfig): Leaf[] {
  const out: Leaf[] = [];
  for (const section of config.sections) {
    const base = section.name === undefined ? [section.kind] : [section.kind, section.name];
    for (const line of section.lines) {
      switch (line.kind) {
        case "plain":
          if (line.cell.value !== true) out.push(cellLeaf([...base, line.keyword], line.cell));
          break;
        case "keyed":
          // An option flag flips between `option x` and `no option x`; other flags have no other value.
          if (line.cell.value !== true || line.keyword === "option")
            out.push(cellLeaf([...base, line.keyword, line.key], line.cell));
          break;
        case "server":
          out.push(cellLeaf([...base, "server", line.name, "address"], line.address));
          for (const [param, cell] of line.params)
            if (cell.value !== true)
              out.push(cellLeaf([...base, "server", line.name, param], cell));
          break;
        case "default-server":
          for (const [param, cell] of line.params)
            if (cell.value !== true) out.push(cellLeaf([...base, "default-server", param], cell));
          break;
        case "ordered":
          break;
      }
    }
  }
  return out;
}

// --- expected tree (the shapes documented in src/formats/haproxy.ts and haproxy-keywords.ts) ---

function sectionTree(lines: readonly HaproxyLine[]): TreeNode {
  const entries = new Map<string, TreeNode>();
  const keyed = (keyword: string): Map<string, TreeNode> => {
    const existing = entries.get(keyword);
    if (existing?.kind === "map") return existing.entries;
    const map = mapNode(1);
    entries.set(keyword, map);
    return map.entries;
  };
  const params = (pairs: readonly [string, Cell][]): [string, TreeNode][] =>
    pairs.map(([k, c]) => [k, scalarNode(1, c.value)]);
  const items = new Map<string, TreeNode[]>();
  for (const line of lines) {
    switch (line.kind) {
      case "plain":
        items.set(line.keyword, [
          ...(items.get(line.keyword) ?? []),
          scalarNode(1, line.cell.value),
        ]);
        break;
      case "keyed":
        keyed(line.keyword).set(line.key, scalarNode(1, line.cell.value));
        break;
      case "ordered": {
        const list = entries.get(line.keyword) ?? listNode(1);
        if (list.kind === "list") list.items.push(scalarNode(1, line.text));
        entries.set(line.keyword, list);
        break;
      }
      case "server":
        keyed("server").set(
          line.name,
          mapNode(
            1,
            new Map([["address", scalarNode(1, line.address.value)], ...params(line.params)]),
          ),
        );
        break;
      case "default-server":
        for (const [k, node] of params(line.params)) keyed("default-server").set(k, node);
        break;
    }
  }
  for (const [keyword, nodes] of items)
    entries.set(keyword, nodes.length === 1 ? nodes[0]! : listNode(1, nodes));
  return mapNode(1, entries);
}

function configTree(config: HaproxyConfig): TreeNode {
  const root = new Map<string, TreeNode>();
  for (const section of config.sections) {
    const tree = sectionTree(section.lines);
    if (section.name === undefined) {
      root.set(section.kind, tree);
      continue;
    }
    const byName = root.get(section.kind) ?? mapNode(1);
    if (byName.kind === "map") byName.entries.set(section.name, tree);
    root.set(section.kind, byName);
  }
  return mapNode(1, root);
}

// --- serializer ---

export interface HaproxyStyle {
  readonly indent: "" | "  " | "    " | "\t";
  readonly blank: " " | "   " | "\t";
  readonly quoting: "none" | "double" | "single";
  readonly comments: boolean;
  readonly blankLines: boolean;
  readonly crlf: boolean;
  readonly seed: number;
}

const QUOTABLE = /^[A-Za-z0-9._/:,-]+$/;

class HaproxyWriter {
  readonly lines: string[] = [];
  private readonly random: Random;

  constructor(private readonly s: HaproxyStyle) {
    this.random = randomFrom(s.seed);
  }

  word(text: string): string {
    if (this.s.quoting === "none" || !QUOTABLE.test(text) || !chance(this.random, 0.3)) return text;
    return this.s.quoting === "single" ? `'${text}'` : `"${text}"`;
  }

  words(value: Value): string[] {
    return value === true ? [] : String(value).split(" ");
  }

  params(params: readonly [string, Cell][]): string[] {
    return shuffle(params, this.random).flatMap(([k, c]) =>
      c.value === true ? [k] : [k, String(c.value)],
    );
  }

  text(line: HaproxyLine): string[] {
    switch (line.kind) {
      case "plain":
        return [line.keyword, ...this.words(line.cell.value)];
      case "keyed":
        if (line.cell.value === false) return ["no", line.keyword, line.key];
        return [line.keyword, line.key, ...this.words(line.cell.value)];
      case "ordered":
        return [line.keyword, ...line.text.split(" ")];
      case "server":
        return ["server", line.name, String(line.address.value), ...this.params(line.params)];
      case "default-server":
        return ["default-server", ...this.params(line.params)];
    }
  }

  section(section: HaproxySection): void {
    if (this.s.blankLines) this.lines.push("");
    this.comment("");
    this.lines.push(
      [section.kind, ...(section.name ? [section.name] : [])].join(" ") + this.trailing(),
    );
    const group = (line: HaproxyLine): string =>
      line.kind === "keyed"
        ? `${line.keyword} ${line.key}`
        : line.kind === "server"
          ? `server ${line.name}`
          : line.kind === "default-server"
            ? line.kind
            : line.keyword;
    for (const line of shuffleKeepingGroups(section.lines, this.random, group)) {
      this.comment(this.s.indent);
      const [keyword, ...args] = this.text(line);
      this.lines.push(
        this.s.indent +
          [keyword, ...args.map((a) => this.word(a))].join(this.s.blank) +
          this.trailing(),
      );
    }
  }

  comment(indent: string): void {
    if (this.s.comments && chance(this.random, 0.2))
      this.lines.push(
        `${indent}# ${pick(this.random, ["was: server web1 10.0.0.9:80 check", "tuned \"quotes\" 'too'", "#"])}`,
      );
  }

  trailing(): string {
    return this.s.comments && chance(this.random, 0.2)
      ? pick(this.random, [" # old: 5s", "\t#x"])
      : "";
  }
}

export const haproxyGenerator: ConfigGenerator<HaproxyConfig, HaproxyStyle> = {
  format: "haproxy",
  config,
  style: fc.record({
    indent: fc.constantFrom("" as const, "  " as const, "    " as const, "\t" as const),
    blank: fc.constantFrom(" " as const, "   " as const, "\t" as const),
    quoting: fc.constantFrom("none" as const, "double" as const, "single" as const),
    comments: fc.boolean(),
    blankLines: fc.boolean(),
    crlf: fc.boolean(),
    seed: fc.integer(),
  }),
  serialize: (config, s) => {
    const writer = new HaproxyWriter(s);
    const [fixed, proxies] = [
      config.sections.filter((section) => section.name === undefined),
      config.sections.filter((section) => section.name !== undefined),
    ];
    for (const section of [...fixed, ...shuffle(proxies, randomFrom(s.seed + 1))])
      writer.section(section);
    return writer.lines.join(s.crlf ? "\r\n" : "\n") + (s.crlf ? "\r\n" : "\n");
  },
  leaves,
  expected: configTree,
  noise: "\"'#\\ \t\n{}",
};
