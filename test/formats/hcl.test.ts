import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalHclTemplate, parseHcl } from "../../src/formats/hcl.js";
import { at, toPlain, type Plain, type ScalarNode, type TreeNode } from "../../src/formats/tree.js";
import type { Problem } from "../../src/formats/types.js";

function tree(source: string): TreeNode {
  const result = parseHcl(source);
  if (!result.ok) throw new Error(`expected a tree, got ${JSON.stringify(result.problems)}`);
  return result.tree;
}

const plain = (source: string): Plain => toPlain(tree(source));

function problems(source: string): Problem[] {
  const result = parseHcl(source);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(toPlain(result.tree))}`);
  return result.problems;
}

const lineAt = (node: TreeNode, ...keys: string[]): number | undefined => at(node, ...keys)?.line;

function scalar(node: TreeNode, ...keys: string[]): ScalarNode {
  const found = at(node, ...keys);
  if (found?.kind !== "scalar") throw new Error(`no scalar at ${keys.join(".")}`);
  return found;
}

const MAIN_TF = `# Application load balancer
terraform {
  required_version = ">= 1.3"
}

resource "aws_lb" "web" {
  name               = "web-\${var.env}"
  internal           = false
  load_balancer_type = "application"
  subnets            = var.public_subnets

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    enabled = true
  }
}

resource "aws_lb_target_group" "web" {
  name     = "web"
  port     = 8080
  protocol = "HTTP"

  health_check {
    path                = "/healthz"
    interval            = 15
    healthy_threshold   = 3
    unhealthy_threshold = 2
  }
}

resource "aws_security_group" "web" {
  ingress {
    from_port = 80
    to_port   = 80
  }
  ingress {
    from_port = 443
    to_port   = 443
  }
}
`;

describe("parseHcl: tree shape and lines", () => {
  const main = tree(MAIN_TF);

  it("nests blocks by type and labels, with the line of the type keyword", () => {
    expect(lineAt(main, "resource", "aws_lb", "web")).toBe(6);
    expect(lineAt(main, "resource", "aws_lb_target_group", "web")).toBe(18);
    expect(lineAt(main, "resource", "aws_lb_target_group", "web", "health_check")).toBe(23);
    expect(lineAt(main, "terraform")).toBe(2);
  });

  it("gives attributes the line of their name", () => {
    expect(lineAt(main, "resource", "aws_lb", "web", "internal")).toBe(8);
    expect(lineAt(main, "resource", "aws_lb", "web", "access_logs", "enabled")).toBe(14);
    expect(lineAt(main, "resource", "aws_lb_target_group", "web", "health_check", "interval")).toBe(
      25,
    );
    expect(lineAt(main, "resource", "aws_security_group", "web", "ingress", "1", "to_port")).toBe(
      38,
    );
  });

  it("types literals", () => {
    expect(scalar(main, "resource", "aws_lb_target_group", "web", "port").value).toBe(8080);
    expect(scalar(main, "resource", "aws_lb", "web", "internal").value).toBe(false);
    expect(scalar(main, "resource", "aws_lb", "web", "load_balancer_type")).toEqual({
      kind: "scalar",
      line: 9,
      value: "application",
    });
  });

  it("makes repeated blocks a list and a single block a map", () => {
    const ingress = at(main, "resource", "aws_security_group", "web", "ingress");
    expect(ingress?.kind).toBe("list");
    expect(toPlain(ingress!)).toEqual([
      { from_port: 80, to_port: 80 },
      { from_port: 443, to_port: 443 },
    ]);
    expect(at(main, "resource", "aws_lb", "web", "access_logs")?.kind).toBe("map");
  });

  it("puts blocks with the same labels in a list and different labels side by side", () => {
    expect(plain('locals {\n  a = 1\n}\nlocals {\n  b = 2\n}\nx "a" {}\nx "b" {}\n')).toEqual({
      locals: [{ a: 1 }, { b: 2 }],
      x: { a: {}, b: {} },
    });
  });

  it("accepts bare identifiers as labels and one-line blocks", () => {
    expect(plain('provisioner local-exec { command = "echo" }\nlifecycle {}\n')).toEqual({
      provisioner: { "local-exec": { command: "echo" } },
      lifecycle: {},
    });
  });

  it("nests objects and tuples with the lines of their keys and items", () => {
    const root = tree(`tags = {
  Name = "web"
  Owner = {
    team = "ops"
  }
}
ports = [
  80,
  { port = 443 },
]
`);
    expect(toPlain(root)).toEqual({
      tags: { Name: "web", Owner: { team: "ops" } },
      ports: [80, { port: 443 }],
    });
    expect(lineAt(root, "tags")).toBe(1);
    expect(lineAt(root, "tags", "Owner", "team")).toBe(4);
    expect(lineAt(root, "ports", "0")).toBe(8);
    expect(lineAt(root, "ports", "1", "port")).toBe(9);
  });

  it("reads dynamic blocks as nested maps", () => {
    const root = tree(`resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port = ingress.value.port
    }
  }
  dynamic "ingress" {
    for_each = var.more
    content {}
  }
}
`);
    const dynamic = at(root, "resource", "aws_security_group", "sg", "dynamic", "ingress");
    expect(dynamic?.kind).toBe("list");
    expect(toPlain(dynamic!)).toEqual([
      { for_each: "${var.rules}", content: { from_port: "${ingress.value.port}" } },
      { for_each: "${var.more}", content: {} },
    ]);
    expect(lineAt(root, "resource", "aws_security_group", "sg", "dynamic", "ingress", "1")).toBe(8);
  });

  it("accepts an empty file and a file of comments", () => {
    expect(plain("")).toEqual({});
    expect(plain("# nothing\n// here\n/* at\nall */\n")).toEqual({});
  });
});

describe("parseHcl: expressions", () => {
  it("keeps references, calls and operators as canonical ${...} expressions", () => {
    const root = tree(`a = var.x
b = lookup( var.m ,"k" )
c = var.n > 0 ? var.n : 1
d = aws_instance.web[*].id
e = -1
f = !true
g = -var.x
h = [for s in var.list : upper(s) if s != ""]
i = { for k, v in var.m : k => v... }
j = provider::aws::arn_parse(var.arn).region
k = (1 + 2) * 3
`);
    expect(toPlain(root)).toEqual({
      a: "${var.x}",
      b: '${lookup(var.m, "k")}',
      c: "${var.n > 0 ? var.n : 1}",
      d: "${aws_instance.web[*].id}",
      e: -1,
      f: false,
      g: "${-var.x}",
      h: '${[for s in var.list : upper(s) if s != ""]}',
      i: "${{for k, v in var.m : k => v...}}",
      j: "${provider::aws::arn_parse(var.arn).region}",
      k: "${(1 + 2) * 3}",
    });
    expect(scalar(root, "a").expression).toBe(true);
    expect(scalar(root, "e").expression).toBeUndefined();
  });

  it("decodes plain strings and keeps template strings as their text", () => {
    const root = tree(`a = "tab\\there \\"q\\" \\u00e9"
b = "\${var.x}-a"
c = "$\${literal}"
d = "%{ if var.on }on%{ else }off%{ endif }"
e = "\${ var.a }\\n"
`);
    expect(toPlain(root)).toEqual({
      a: 'tab\there "q" é',
      b: "${var.x}-a",
      c: "$${literal}",
      d: "%{if var.on}on%{else}off%{endif}",
      e: "${var.a}\n",
    });
    expect(scalar(root, "a").expression).toBeUndefined();
    expect(scalar(root, "b").expression).toBe(true);
    expect(scalar(root, "d").expression).toBe(true);
  });

  it("reads Terraform 0.11 interpolation-only strings like the bare expression", () => {
    const old = tree(`count = "\${lookup(var.m, "k")}"
name  = "\${var.name}"
port  = "\${8080}"
list  = "\${concat(var.a, var.b)}"
`);
    const current = tree(`count = lookup(var.m, "k")
name  = var.name
port  = 8080
list  = concat(var.a, var.b)
`);
    expect(toPlain(old)).toEqual(toPlain(current));
    expect(scalar(old, "count").value).toBe('${lookup(var.m, "k")}');
    expect(scalar(old, "port").value).toBe(8080);
  });

  it("gives the same values to a reformatted file", () => {
    const compact = `locals {
  rules = { for k, v in var.rules : k => merge(v, { port = v.port }) if v.enabled }
  list = flatten([for r in var.rules : [for p in r.ports : "\${r.name}-\${p}"]])
  obj = jsonencode({ a = 1, b = [1, 2] })
  cond = var.a != null ? var.a : "x"
  idx = var.list[0].name
  call = coalesce(var.a, var.b, "c")
}
`;
    const spread = `locals {
  rules = {
    for k, v in var.rules :
    k => merge(v, {
      port = v.port # keep
    })
    if v.enabled
  }
  list = flatten([
    for r in var.rules : [
      for p in r.ports : "\${ r.name }-\${ p }"
    ]
  ])
  obj = jsonencode({
    a = 1
    b = [
      1,
      2,
    ]
  })
  cond = (
    var.a != null
    ? var.a
    : "x"
  )
  idx  = var.list[ 0 ] . name
  call = coalesce(   var.a,   /* first set */ var.b,
    "c",
  )
}
`;
    const a = plain(compact);
    const b = plain(spread);
    // Parenthesising the conditional is the one real change; everything else is layout.
    expect({ ...(b as { locals: Record<string, Plain> }).locals, cond: null }).toEqual({
      ...(a as { locals: Record<string, Plain> }).locals,
      cond: null,
    });
    expect(at(tree(spread), "locals", "cond")).toMatchObject({
      value: '${(var.a != null ? var.a : "x")}',
    });
    expect(a).toEqual({
      locals: {
        rules: "${{for k, v in var.rules : k => merge(v, {port = v.port}) if v.enabled}}",
        list: '${flatten([for r in var.rules : [for p in r.ports : "${r.name}-${p}"]])}',
        obj: "${jsonencode({a = 1, b = [1, 2]})}",
        cond: '${var.a != null ? var.a : "x"}',
        idx: "${var.list[0].name}",
        call: '${coalesce(var.a, var.b, "c")}',
      },
    });
  });

  it("reads heredocs, stripping the common indentation of <<-", () => {
    const root = tree(`plain = <<EOF
  kept indented
line two
EOF
flush = <<-EOT
    kubectl wait --timeout=180s

      indented more
    EOT
templated = <<-EOT
    echo \${var.namespace}
    %{ for ip in var.ips ~}
    server \${ip}
    %{ endfor ~}
    EOT
after = 1
`);
    expect(toPlain(root)).toEqual({
      plain: "  kept indented\nline two\n",
      flush: "kubectl wait --timeout=180s\n\n  indented more\n",
      templated: "echo ${var.namespace}\n%{for ip in var.ips~}\nserver ${ip}\n%{endfor~}\n",
      after: 1,
    });
    expect(scalar(root, "plain").expression).toBeUndefined();
    expect(scalar(root, "templated").expression).toBe(true);
    expect(lineAt(root, "after")).toBe(16);
  });

  it("renders strings and heredocs inside expressions as canonical quoted strings", () => {
    expect(
      plain('a = jsonencode(<<EOF\n{"a": 1}\nEOF\n)\nb = format("%s\\t", "\\u0041")\n'),
    ).toEqual({
      a: '${jsonencode("{\\"a\\": 1}\\n")}',
      b: '${format("%s\\t", "A")}',
    });
  });

  it("ignores comments of all three kinds, inside expressions too", () => {
    expect(
      plain(`# hash
a = 1 // slashes
/* block
   comment */ b = [
  1, # one
  2, /* two */
]
c = merge(
  var.a, # first
  var.b  // second
)
`),
    ).toEqual({ a: 1, b: [1, 2], c: "${merge(var.a, var.b)}" });
  });

  it("keys objects by names, strings and ${...} expressions", () => {
    expect(
      plain('m = {\n  a = 1\n  "b c" = 2\n  "${var.k}" = 3\n  (var.j) = 4\n  "d": 5\n}\n'),
    ).toEqual({
      m: { a: 1, "b c": 2, "${var.k}": 3, "${(var.j)}": 4, d: 5 },
    });
  });

  it("warns about a duplicate object key and keeps the last value", () => {
    const result = parseHcl("m = {\n  a = 1\n  a = 2\n}\n");
    expect(result.ok && toPlain(result.tree)).toEqual({ m: { a: 2 } });
    expect(result.ok && result.warnings).toEqual([
      expect.objectContaining({ code: "parse.duplicate-key", line: 3 }),
    ]);
  });

  it("reads a CRLF file with a byte order mark like its LF twin", () => {
    const lf = 'resource "a" "b" {\n  x = <<-EOT\n    hi\n    EOT\n  y = "z" # c\n}\n';
    const crlf = `\uFEFF${lf.replace(/\n/g, "\r\n")}`;
    const root = tree(crlf);
    expect(toPlain(root)).toEqual(toPlain(tree(lf)));
    expect(toPlain(root)).toEqual({ resource: { a: { b: { x: "hi\n", y: "z" } } } });
    expect(lineAt(root, "resource", "a", "b", "y")).toBe(5);
  });

  it("accepts tabs, unicode identifiers and dashes in names", () => {
    expect(plain('\tname\t=\t"x"\nπ = 3\nc = count.index-1\n')).toEqual({
      name: "x",
      π: 3,
      c: "${count.index-1}",
    });
  });
});

describe("parseHcl: problems", () => {
  it.each([
    ['a = "abc\nb = 1\n', 1, "unterminated string"],
    ["a = 1\n}\n", 2, 'unexpected "}"'],
    ['resource "x" "y" {\n  a = 1\n', 1, 'block "resource" is not closed'],
    ["a = 1 b = 2\n", 1, "expected a newline"],
    ["a {\n  b = 1 }\n", 2, "expected a newline"],
    ["a = 1 +\n  2\n", 1, "expected an expression"],
    ["a = [1, 2\nb = 3\n", 2, 'expected "," or "]"'],
    ["a = {x = 1 y = 2}\n", 1, 'expected a newline, "," or "}"'],
    ['a = "\\q"\n', 1, "invalid escape"],
    ["a = <<EOF\nnever closed\n", 1, "unterminated heredoc"],
    ['x = 1\n"quoted" = 2\n', 2, "expected an attribute or a block"],
    ['a = "${var.x"\n', 1, "unterminated string"],
    ['a = "${var.x}', 1, "unterminated string"],
    ['a = [\n  "${x\n]\n', 2, "unterminated"],
    ['a = "%{ if x }no end"\n', 1, "never closed"],
    ["a = f(1,\n\n  2\n", 4, 'expected "," or ")"'],
    ["a = 1\nb = ~\n", 2, "unexpected character"],
    ["a { b {} }\n", 1, "one-line block"],
  ])("reports %j at line %i", (source, line, message) => {
    const [problem] = problems(source);
    expect(problem).toMatchObject({ code: "parse.failed", line });
    expect(problem!.message).toContain(message);
  });

  it("reports a duplicate attribute with the line of the second", () => {
    expect(problems('resource "a" "b" {\n  port = 80\n  name = "x"\n  port = 81\n}\n')).toEqual([
      {
        code: "parse.duplicate-key",
        line: 4,
        message: 'duplicate attribute "port" (first on line 2)',
      },
    ]);
    expect(problems("a = 1\na {\n}\n")[0]).toMatchObject({ code: "parse.duplicate-key", line: 2 });
  });

  it("reports blocks of one type with different numbers of labels", () => {
    expect(problems('x "a" {\n}\nx {\n}\n')[0]).toMatchObject({
      code: "parse.duplicate-key",
      line: 3,
    });
  });

  it("refuses nesting deeper than 500 levels without exhausting the stack", () => {
    const deep = (n: number): string => `a = ${"[".repeat(n)}${"]".repeat(n)}\n`;
    expect(parseHcl(deep(400)).ok).toBe(true);
    for (const source of [
      deep(501),
      deep(100_000),
      `a = ${"(".repeat(50_000)}1${")".repeat(50_000)}\n`,
      `a = ${"-".repeat(50_000)}1\n`,
      `a = ${'"${'.repeat(20_000)}x${'}"'.repeat(20_000)}\n`,
      `${"b {\n".repeat(600)}${"}\n".repeat(600)}`,
    ]) {
      expect(problems(source)[0]).toMatchObject({ code: "parse.too-deep" });
    }
  });

  it("never throws, whatever the input", () => {
    const pieces = [
      "a",
      "=",
      " ",
      "\n",
      "{",
      "}",
      "[",
      "]",
      "(",
      ")",
      '"',
      "${",
      "%{",
      "~}",
      "<<EOF\n",
      "<<-EOF\n",
      "EOF\n",
      "#",
      "//",
      "/*",
      "*/",
      ",",
      ".",
      "*",
      "...",
      "?",
      ":",
      "=>",
      "for",
      "in",
      "if",
      "1",
      "-",
      "!",
      "\\",
      "\r\n",
      "resource",
      '"x"',
      "$${",
      "endif",
      "::",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
        const result = parseHcl(parts.join(""));
        if (!result.ok) expect(result.problems[0]!.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        parseHcl(text);
        canonicalHclTemplate(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("canonicalHclTemplate", () => {
  it("re-renders the sequences of a template string and keeps its literal text", () => {
    expect(canonicalHclTemplate('${lookup( var.m ,\n "k" )} and "quotes"')).toBe(
      '${lookup(var.m, "k")} and "quotes"',
    );
    expect(canonicalHclTemplate("%{ if a }x%{ endif }")).toBe("%{if a}x%{endif}");
    expect(canonicalHclTemplate("$${kept}")).toBe("$${kept}");
    expect(canonicalHclTemplate("${unclosed")).toBeUndefined();
  });
});
