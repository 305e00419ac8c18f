// nginx configs: main directives, events, and an http block with upstreams (servers with parameters), a `map`
// table and server blocks (named by server_name) with locations. Styles: indentation, one statement per line or
// simple blocks on one line, quoting (none, "double", 'single', multi-word values as one quoted argument),
// blanks or line breaks between words, comments, shuffled single-occurrence directives, blocks, locations and server parameters
// (repeated directives keep their order), LF or CRLF.
import fc from "fast-check";
import { listNode, mapNode, scalarNode, type TreeNode } from "../../../src/formats/tree.js";
import {
  chance,
  changed,
  duration,
  hostname,
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

export type NginxStatement =
  /** `name args;` — value true: no argument; number; string: its words. */
  | { readonly kind: "directive"; readonly name: string; readonly cell: Cell }
  | {
      readonly kind: "block";
      readonly name: string;
      readonly args: string[];
      readonly body: NginxStatement[];
    }
  /** Upstream `server ADDRESS k=v flag;` (a parameter cell holding true is a flag). */
  | { readonly kind: "server"; readonly address: string; readonly params: [string, Cell][] };

const directive = (directiveName: string, value: Value): NginxStatement => ({
  kind: "directive",
  name: directiveName,
  cell: { value },
});

const block = (blockName: string, args: string[], body: NginxStatement[]): NginxStatement => ({
  kind: "block",
  name: blockName,
  args,
  body,
});

/** Directives that occur once, each with a realistic value domain. */
function directives(
  table: Record<string, fc.Arbitrary<Value>>,
  maxLength = 4,
): fc.Arbitrary<NginxStatement[]> {
  return fc
    .uniqueArray(fc.constantFrom(...Object.keys(table)), { maxLength })
    .chain((names) =>
      names.length === 0
        ? fc.constant([])
        : fc.tuple(...names.map((n) => table[n]!.map((v) => directive(n, v)))),
    );
}

const onOff = fc.constantFrom("on", "off");
const size = fc
  .tuple(fc.integer({ min: 1, max: 512 }), fc.constantFrom("k", "m"))
  .map(([n, u]) => `${n}${u}`);

const MAIN = {
  user: fc.constantFrom("nginx", "www-data nginx"),
  worker_processes: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant("auto")),
  pid: fc.constant("/run/nginx.pid"),
  error_log: fc.constantFrom("/var/log/nginx/error.log warn", "stderr notice"),
};

const HTTP = {
  sendfile: onOff,
  keepalive_timeout: fc.oneof(duration, fc.integer({ min: 1, max: 300 })),
  client_max_body_size: size,
  gzip: onOff,
  access_log: fc.constantFrom("/var/log/nginx/access.log main", "off"),
  proxy_connect_timeout: duration,
  server_tokens: onOff,
  default_type: fc.constant("application/octet-stream"),
};

const LOCATION = {
  proxy_pass: name.map((n) => `http://${n}`),
  proxy_read_timeout: duration,
  proxy_next_upstream: fc.constantFrom("error timeout", "error timeout http_502 http_503"),
  add_header: fc.constantFrom(
    "X-Frame-Options DENY",
    "Cache-Control no-store always",
    "Content-Security-Policy default-src 'self'",
  ),
  expires: fc.constantFrom("30d", "max", "off"),
  try_files: fc.constant("$uri $uri/ =404"),
  return: fc.constantFrom("200 ok", "301 https://$host$request_uri"),
  limit_req: fc.constantFrom("zone=one burst=5 nodelay", "zone=api"),
};

const SERVER_PARAMS: Record<string, fc.Arbitrary<Value>> = {
  weight: fc.integer({ min: 1, max: 100 }),
  max_fails: fc.integer({ min: 0, max: 10 }),
  fail_timeout: duration,
  max_conns: fc.integer({ min: 1, max: 1000 }),
  slow_start: duration,
  backup: fc.constant(true),
  down: fc.constant(true),
};

const upstreamServer = fc
  .tuple(ipPort, fc.uniqueArray(fc.constantFrom(...Object.keys(SERVER_PARAMS)), { maxLength: 4 }))
  .chain(([address, params]) =>
    (params.length === 0
      ? fc.constant([] as [string, Cell][])
      : fc.tuple(
          ...params.map((p) => SERVER_PARAMS[p]!.map((v): [string, Cell] => [p, { value: v }])),
        )
    ).map((cells): NginxStatement => ({ kind: "server", address, params: cells })),
  );

const upstream = fc
  .tuple(
    name,
    directives({
      keepalive: fc.integer({ min: 1, max: 64 }),
      least_conn: fc.constant(true),
      zone: fc.constantFrom("backend 64k", "shared 1m"),
      keepalive_timeout: duration,
    }),
    fc.uniqueArray(upstreamServer, {
      minLength: 1,
      maxLength: 4,
      selector: (s) => (s as { address: string }).address,
    }),
  )
  .map(([upstreamName, settings, servers]) =>
    block("upstream", [upstreamName], [...settings, ...servers]),
  );

// `{` in a regex needs quotes: `location ~ "^/v[0-9]{1,2}/"`.
const LOCATION_PATHS = [
  "/",
  "/api/",
  "= /health",
  "~ ^/static/",
  "^~ /images/",
  "~* \\.(css|js)$",
  "~ ^/v[0-9]{1,2}/",
  "/admin",
];

/** `if (CONDITION) { ... }`, keyed by the condition without its parentheses. */
const ifBlock = fc
  .tuple(
    fc.constantFrom("$request_method = POST", "$http_user_agent ~* bot", "$arg_debug"),
    directives(
      { return: fc.constantFrom<Value>(403, "405 nope"), set: fc.constant("$cache 0") },
      2,
    ),
  )
  .map(([condition, body]) => block("if", condition.split(" "), body));

const location = fc
  .tuple(
    fc.constantFrom(...LOCATION_PATHS),
    directives(LOCATION, 4),
    fc.uniqueArray(fc.constantFrom("Host $host", "X-Real-IP $remote_addr", 'Connection ""'), {
      maxLength: 2,
    }),
    fc.option(ifBlock, { nil: undefined }),
  )
  .map(([path, body, headers, condition]) =>
    block("location", path.split(" "), [
      ...body,
      ...headers.map((header) => directive("proxy_set_header", header)),
      ...(condition ? [condition] : []),
    ]),
  );

const serverBlock = fc
  .tuple(
    fc.uniqueArray(hostname, { minLength: 1, maxLength: 2 }),
    fc.uniqueArray(fc.constantFrom<Value>(80, "443 ssl", "[::]:80", "8080 default_server"), {
      minLength: 1,
      maxLength: 2,
    }),
    directives(
      {
        root: fc.constant("/var/www/html"),
        index: fc.constant("index.html index.htm"),
        ssl_session_timeout: duration,
      },
      2,
    ),
    fc.uniqueArray(location, {
      maxLength: 3,
      selector: (l) => (l as { args: string[] }).args.join(" "),
    }),
  )
  .map(([names, listens, settings, locations]) =>
    block(
      "server",
      [],
      [
        directive("server_name", names.join(" ")),
        ...listens.map((listen) => directive("listen", listen)),
        ...settings,
        ...locations,
      ],
    ),
  );

const mapBlock = fc
  .uniqueArray(
    fc.tuple(
      fc.constantFrom("default", "", "~^/api", "websocket"),
      fc.constantFrom("upgrade", "close", "keep-alive"),
    ),
    { selector: ([k]) => k, minLength: 1, maxLength: 3 },
  )
  .map((entries) =>
    block(
      "map",
      ["$http_upgrade", "$connection_upgrade"],
      entries.map(([k, v]) => directive(k, v)),
    ),
  );

export interface NginxConfig {
  readonly statements: NginxStatement[];
}

const config: fc.Arbitrary<NginxConfig> = fc
  .record({
    main: directives(MAIN),
    events: fc.option(fc.integer({ min: 128, max: 65535 }), { nil: undefined }),
    http: directives(HTTP, 5),
    map: fc.option(mapBlock, { nil: undefined }),
    upstreams: fc.uniqueArray(upstream, {
      maxLength: 3,
      selector: (u) => (u as { args: string[] }).args[0],
    }),
    servers: fc.uniqueArray(serverBlock, {
      maxLength: 3,
      selector: (s) =>
        String(((s as { body: NginxStatement[] }).body[0] as { cell: Cell }).cell.value),
    }),
  })
  .map(({ main, events, http, map, upstreams, servers }) => ({
    statements: [
      ...main,
      ...(events === undefined
        ? []
        : [block("events", [], [directive("worker_connections", events)])]),
      block("http", [], [...http, ...(map ? [map] : []), ...upstreams, ...servers]),
    ],
  }));

// --- leaves ---

/** `identity`: the directive that names this block in a list of blocks (server_name); it is not changed. */
function bodyLeaves(
  body: readonly NginxStatement[],
  path: readonly string[],
  out: Leaf[],
  identity?: string,
): void {
  const count = new Map<string, number>();
  for (const statement of body)
    if (statement.kind !== "server")
      count.set(statement.name, (count.get(statement.name) ?? 0) + 1);
  for (const statement of body) {
    if (statement.kind === "server") {
      for (const [param, cell] of statement.params) {
        if (cell.value === true) continue;
        out.push({
          path: [...path, "server", statement.address, param],
          change: () => void (cell.value = changed(cell.value)),
        });
      }
    } else if (statement.kind === "directive") {
      // A repeated directive is a list, and a flag has no other value.
      if (count.get(statement.name)! > 1 || statement.cell.value === true) continue;
      if (statement.name === identity) continue;
      const cell = statement.cell;
      out.push({
        path: [...path, statement.name === "" ? '""' : statement.name],
        change: () => void (cell.value = changed(cell.value)),
      });
    } else if (statement.args.length > 0) {
      bodyLeaves(statement.body, [...path, statement.name, statement.args.join(" ")], out);
    } else if (count.get(statement.name)! === 1) {
      bodyLeaves(statement.body, [...path, statement.name], out);
    } else {
      // Repeated server blocks: a list matched by server_name.
      const serverName = statement.body.find(
        (s) => s.kind === "directive" && s.name === "server_name",
      );
      const label = `[server_name=${(serverName as { cell: Cell }).cell.value}]`;
      bodyLeaves(statement.body, [...path, statement.name, label], out, "server_name");
    }
  }
}

// --- expected tree (the shapes documented in src/formats/nginx.ts) ---

function bodyTree(body: readonly NginxStatement[]): TreeNode {
  const groups = new Map<string, NginxStatement[]>();
  for (const statement of body) {
    const group =
      statement.kind === "server" ? "server" : statement.name === "" ? '""' : statement.name;
    groups.set(group, [...(groups.get(group) ?? []), statement]);
  }
  const entries = new Map<string, TreeNode>();
  for (const [group, statements] of groups) {
    const first = statements[0]!;
    if (first.kind === "server") {
      const servers = statements as Extract<NginxStatement, { kind: "server" }>[];
      const params = (server: (typeof servers)[number]): TreeNode =>
        mapNode(1, new Map(server.params.map(([k, c]) => [k, scalarNode(1, c.value)])));
      entries.set(
        group,
        mapNode(1, new Map(servers.map((server) => [server.address, params(server)]))),
      );
    } else if (first.kind === "block" && first.args.length > 0) {
      const blocks = statements as Extract<NginxStatement, { kind: "block" }>[];
      entries.set(
        group,
        mapNode(1, new Map(blocks.map((b) => [b.args.join(" "), bodyTree(b.body)]))),
      );
    } else {
      const nodes = statements.map((statement) =>
        statement.kind === "directive"
          ? scalarNode(1, statement.cell.value)
          : bodyTree((statement as Extract<NginxStatement, { kind: "block" }>).body),
      );
      entries.set(group, nodes.length === 1 ? nodes[0]! : listNode(1, nodes));
    }
  }
  return mapNode(1, entries);
}

// --- serializer ---

export interface NginxStyle {
  readonly indent: "" | "  " | "    " | "\t";
  /** Blocks without nested blocks written on one line. */
  readonly compact: boolean;
  readonly quoting: "minimal" | "double" | "single" | "whole";
  readonly blank: " " | "  " | "\t";
  /** Long directives continued on the next line between arguments. */
  readonly wrapArguments: boolean;
  readonly comments: boolean;
  readonly crlf: boolean;
  readonly seed: number;
}

const PLAIN_WORD = /^[^\s;{}"'#\\]+$/;

class NginxWriter {
  readonly lines: string[] = [];
  private readonly random: Random;

  constructor(private readonly s: NginxStyle) {
    this.random = randomFrom(s.seed);
  }

  word(text: string): string {
    // An empty argument is written as a quoted empty string; the parser shows it as `""`.
    if (text === '""') return this.s.quoting === "single" ? "''" : '""';
    const quote =
      text === "" ||
      !PLAIN_WORD.test(text) ||
      (this.s.quoting !== "minimal" && this.s.quoting !== "whole" && chance(this.random, 0.3));
    if (!quote) return text;
    const mark = this.s.quoting === "single" ? "'" : '"';
    return mark + text.replace(/\\/g, "\\\\").replace(new RegExp(mark, "g"), `\\${mark}`) + mark;
  }

  args(value: Value): string[] {
    if (value === true) return [];
    const text = String(value);
    if (this.s.quoting === "whole" && text.includes(" ") && !text.includes('"'))
      return [`"${text.replace(/\\/g, "\\\\")}"`];
    return text.split(" ").map((w) => this.word(w));
  }

  statement(statement: NginxStatement): string {
    switch (statement.kind) {
      case "directive":
        return (
          this.join([
            statement.name === "" ? this.word("") : statement.name,
            ...this.args(statement.cell.value),
          ]) + ";"
        );
      case "server":
        return (
          [
            "server",
            statement.address,
            ...shuffle(statement.params, this.random).map(([k, c]) =>
              this.word(c.value === true ? k : `${k}=${c.value}`),
            ),
          ].reduce((line, word) => this.join([line, word])) + ";"
        );
      case "block":
        return `${this.head(statement)} { ${this.order(statement.body)
          .map((s) => this.statement(s))
          .join(" ")} }`;
    }
  }

  /** `name args` of a block; an `if` condition in parentheses, with or without inner spaces. */
  head(statement: NginxStatement & { kind: "block" }): string {
    if (statement.name !== "if")
      return this.join([statement.name, ...statement.args.map((a) => this.word(a))]);
    const inner = statement.args.join(this.s.blank);
    return chance(this.random, 0.5)
      ? `if${this.s.blank}(${inner})`
      : `if (${this.s.blank}${inner}${this.s.blank})`;
  }

  /** Words separated by blanks, or now and then by a line break and a deeper indent. */
  join(words: readonly string[]): string {
    return words.reduce(
      (line, word) =>
        line +
        (this.s.wrapArguments && chance(this.random, 0.3) ? "\n      " : this.s.blank) +
        word,
    );
  }

  order(body: readonly NginxStatement[]): NginxStatement[] {
    return shuffleKeepingGroups(body, this.random, (s) =>
      s.kind === "server" ? `server ${s.address}` : s.name,
    );
  }

  comment(indent: string): void {
    if (this.s.comments && chance(this.random, 0.2))
      this.lines.push(
        `${indent}# ${pick(this.random, ["was: proxy_pass http://old; {", "tuned } later", "'quoted' \"x\""])}`,
      );
  }

  trailing(): string {
    return this.s.comments && chance(this.random, 0.2) ? " # keep in sync; {see docs}" : "";
  }

  body(body: readonly NginxStatement[], level: number): void {
    const indent = this.s.indent.repeat(level);
    for (const statement of this.order(body)) {
      this.comment(indent);
      const simple = statement.kind !== "block" || statement.body.every((s) => s.kind !== "block");
      if (statement.kind !== "block" || (this.s.compact && simple)) {
        this.lines.push(indent + this.statement(statement) + this.trailing());
        continue;
      }
      const head = this.head(statement);
      this.lines.push(`${indent}${head} {${this.trailing()}`);
      this.body(statement.body, level + 1);
      this.lines.push(`${indent}}`);
    }
  }
}

export const nginxGenerator: ConfigGenerator<NginxConfig, NginxStyle> = {
  format: "nginx",
  config,
  style: fc.record({
    indent: fc.constantFrom("" as const, "  " as const, "    " as const, "\t" as const),
    compact: fc.boolean(),
    quoting: fc.constantFrom(
      "minimal" as const,
      "double" as const,
      "single" as const,
      "whole" as const,
    ),
    blank: fc.constantFrom(" " as const, "  " as const, "\t" as const),
    wrapArguments: fc.boolean(),
    comments: fc.boolean(),
    crlf: fc.boolean(),
    seed: fc.integer(),
  }),
  serialize: (config, s) => {
    const writer = new NginxWriter(s);
    writer.body(config.statements, 0);
    const text = writer.lines.join("\n") + "\n";
    return s.crlf ? text.replace(/\n/g, "\r\n") : text;
  },
  leaves: (config) => {
    const out: Leaf[] = [];
    bodyLeaves(config.statements, [], out);
    return out;
  },
  expected: (config) => bodyTree(config.statements),
  noise: "{};\"'#$\\ \n",
};
