// parseYamlPair against parseSource: each side must come out exactly as parsed whole (trees with
// every line, problems, warnings, flags), on generated multi-document files and on every YAML pair
// of the shared real-world corpus (`../shared/corpus` beside the checkout, on the team's machines only).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseSource, type ParsedSide } from "../../src/formats/index.js";
import type { TreeNode } from "../../src/formats/tree.js";
import {
  parseYamlPair,
  type ParsedYamlPair,
  type YamlPairThresholds,
} from "../../src/formats/yaml-pair.js";

/** Small generated files take the document-wise path too. */
const SMALL: YamlPairThresholds = { minLength: 0, minDocuments: 8 };

/** Maps as ordered entry lists, so that key order and every line are compared. */
function exact(value: unknown): unknown {
  if (value instanceof Map) return { map: [...value].map(([key, item]) => [key, exact(item)]) };
  if (Array.isArray(value)) return value.map(exact);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, exact(item)]));
  return value;
}

function expectWhole(side: ParsedSide, source: string): void {
  expect(exact(side)).toStrictEqual(exact(parseSource("yaml", source, "deploy/app.yaml")));
}

/** The pair, checked side by side against parseSource. */
function paired(
  before: string,
  after: string,
  thresholds: YamlPairThresholds = SMALL,
): ParsedYamlPair {
  const pair = parseYamlPair(before, after, "deploy/app.yaml", thresholds);
  expect(pair).toBeDefined();
  expectWhole(pair!.before, before);
  expectWhole(pair!.after, after);
  return pair!;
}

function configMap(index: number, value = `value-${index}`): string {
  return `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: config-${index}
  labels: { app: web-${index % 3} }
data:
  key: ${value}
  list:
    - a
    - b-${index}
`;
}

function manifest(count: number, edit: (index: number) => string = (index) => configMap(index)) {
  return Array.from({ length: count }, (_, index) => edit(index)).join("");
}

const documents = (pair: ParsedYamlPair): TreeNode[] =>
  pair.after.ok && pair.after.tree.kind === "list" ? pair.after.tree.items : [];

describe("parseYamlPair: equivalent to parsing each side whole", () => {
  it("reuses the unchanged documents of an edit, in place", () => {
    const before = manifest(20);
    const after = manifest(20, (index) =>
      configMap(index, index === 5 ? "edited" : `value-${index}`),
    );
    const pair = paired(before, after);
    expect(pair.reusedDocuments).toBe(19);
    const beforeItems =
      pair.before.ok && pair.before.tree.kind === "list" ? pair.before.tree.items : [];
    expect(documents(pair)[4]).toBe(beforeItems[4]);
    expect(documents(pair)[5]).not.toBe(beforeItems[5]);
  });

  it("shifts the lines of documents after an inserted one", () => {
    const before = manifest(20);
    const after = manifest(20, (index) =>
      index === 3 ? configMap(100) + "# a comment\n\n" + configMap(3) : configMap(index),
    );
    const pair = paired(before, after);
    expect(pair.reusedDocuments).toBe(20);
    expect(documents(pair)[4]!.line).toBeGreaterThan(documents(pair)[3]!.line);
  });

  it("shifts the lines of documents after a removed one", () => {
    const before = manifest(20);
    const after = manifest(20, (index) => (index === 2 ? "" : configMap(index)));
    expect(paired(before, after).reusedDocuments).toBe(19);
  });

  it("reuses reordered and duplicated documents", () => {
    const before = manifest(12) + configMap(0);
    const order = [11, 0, 5, 5, 3, 2, 1, 4, 6, 7, 8, 9, 10, 0];
    const after = order.map((index) => configMap(index)).join("");
    expect(paired(before, after).reusedDocuments).toBe(order.length);
  });

  it("a document that started the file is parsed again when it moves (line 1 cannot be shifted)", () => {
    const before = manifest(12);
    const after = configMap(50) + manifest(12);
    expect(paired(before, after).reusedDocuments).toBe(11);
  });

  it("reads anchors, aliases and merge keys inside documents", () => {
    const withAnchors = (index: number, port: number): string => `---
defaults: &defaults
  timeout: 5s
  retries: ${index}
service-${index}:
  <<: *defaults
  port: ${port}
  copy: *defaults
`;
    // The header comment is the first cut, so every document moves with the inserted one.
    const before = "# services\n" + manifest(10, (index) => withAnchors(index, 80));
    const after =
      "# services\n" +
      configMap(99) +
      manifest(10, (index) => withAnchors(index, index === 7 ? 8080 : 80));
    expect(paired(before, after).reusedDocuments).toBe(10);
  });

  it("reads CloudFormation short tags", () => {
    const template = (index: number, bucket: string): string => `---
Resources:
  Bucket${index}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "\${AWS::StackName}-${bucket}"
      Arn: !GetAtt Role${index}.Arn
      Tags:
        - !Ref Tag${index}
        - !If [IsProd, !Join [",", [a, b]], !Ref AWS::NoValue]
`;
    const before = "# template\n" + manifest(10, (index) => template(index, "logs"));
    const after =
      "# template\n# moved\n\n" +
      manifest(10, (index) => template(index, index === 4 ? "audit" : "logs"));
    expect(paired(before, after).reusedDocuments).toBe(9);
  });

  it("does not cut at an indented --- in a block scalar, and cuts at markers with content", () => {
    const script = (index: number, body: string): string => `---
name: job-${index}
script: |
  echo start
  ---
  ...
  ${body}
folded: >
  ---
`;
    const before =
      manifest(8, (index) => script(index, "echo done")) +
      "--- !Ref Tagged\n--- {a: 1, b: [2, 3]}\n--- plain scalar\n";
    const after =
      manifest(8, (index) => script(index, index === 2 ? "echo changed" : "echo done")) +
      "--- !Ref Tagged\n--- {a: 1, b: [2, 4]}\n--- plain scalar\n";
    expect(paired(before, after).reusedDocuments).toBe(9);
  });

  it("reads ... end markers, empty documents and comments between documents", () => {
    const ended = (index: number, value: string): string =>
      `a: ${index}\nb: ${value}\n... # end of ${index}\n# between ${index}\n\n`;
    const before = manifest(9, (index) => ended(index, "x")) + "---\n---\n# only a comment\n";
    const after =
      manifest(9, (index) => ended(index, index === 8 ? "y" : "x")) +
      "---\n---\n# only a comment\n";
    // A `...` ends a cut, and the comment after it opens the next document's.
    expect(paired(before, after).reusedDocuments).toBe(11);
  });

  it("strips a BOM and reads a last document without a newline", () => {
    const before = "\ufeff" + manifest(10) + "---\nlast: 1";
    const edited = manifest(10, (index) =>
      configMap(index, index === 0 ? "first" : `value-${index}`),
    );
    expect(paired(before, "\ufeff" + edited + "---\nlast: 2").reusedDocuments).toBe(9);
    expect(paired(before, "\ufeff" + manifest(10) + "---\nlast: 1\n").reusedDocuments).toBe(10);
  });

  it("reads a template action inside a quoted string as text (a Prometheus rule's annotation)", () => {
    const rule = (index: number, summary: string): string =>
      configMap(index) + `  summary: "{{ $labels.pod }} ${summary}"\n`;
    const before = manifest(10, (index) => rule(index, "down"));
    const after = manifest(10, (index) => rule(index, index === 9 ? "is down" : "down"));
    expect(paired(before, after).reusedDocuments).toBe(9);
  });

  it("takes the default thresholds on a large manifest", () => {
    const before = manifest(600);
    const after = manifest(600, (index) =>
      index === 200 ? "" : configMap(index, index === 10 ? "x" : `value-${index}`),
    );
    expect(before.length).toBeGreaterThan(64 * 1024);
    expect(paired(before, after, undefined).reusedDocuments).toBe(598);
  });
});

describe("parseYamlPair: a side it cannot vouch for is parsed whole", () => {
  it("a duplicate key: both sides whole, with the warning", () => {
    const before = manifest(10, (index) =>
      index === 3 ? configMap(3) + "---\na: 1\na: 2\n" : configMap(index),
    );
    const after = manifest(10, (index) => configMap(index, index === 1 ? "x" : `value-${index}`));
    const pair = paired(before, after);
    expect(pair.reusedDocuments).toBe(0);
    expect(pair.before.ok && pair.before.warnings.map((warning) => warning.code)).toEqual([
      "parse.duplicate-key",
    ]);
  });

  it("a duplicate key on the after side: the after side whole", () => {
    const before = manifest(10);
    const after = manifest(10, (index) => (index === 3 ? "---\na: 1\na: 2\n" : configMap(index)));
    const pair = paired(before, after);
    expect(pair.reusedDocuments).toBe(0);
    expect(pair.after.ok && pair.after.warnings).toHaveLength(1);
  });

  it("a changed document that does not parse: the after side's problems", () => {
    const before = manifest(10);
    const after = manifest(10, (index) =>
      index === 6 ? "---\na: [1, 2\nb: }\n" : configMap(index),
    );
    const pair = paired(before, after);
    expect(pair.after.ok).toBe(false);
  });

  it("aliases that expand past the limit over the whole file, not in any one document", () => {
    const list = Array.from({ length: 100 }, (_, index) => `  - ${index}`).join("\n");
    const aliases = Array.from({ length: 120 }, (_, index) => `  k${index}: *list`).join("\n");
    const heavy = (index: number): string =>
      `---\nlist: &list\n${list}\nuses-${index}:\n${aliases}\n`;
    const before = manifest(10, heavy);
    const after = manifest(10, (index) => (index === 0 ? configMap(0) : heavy(index)));
    const pair = paired(before, after);
    expect(pair.before.ok).toBe(false);
    expect(pair.reusedDocuments).toBe(0);
  });
});

describe("parseYamlPair: undefined where the texts rule the document cut out", () => {
  const before = manifest(20);
  const after = manifest(20, (index) =>
    configMap(index, index === 5 ? "edited" : `value-${index}`),
  );
  it.each([
    ["a small file (default thresholds)", before, after, undefined],
    [
      "fewer documents than the threshold",
      manifest(7),
      manifest(7, (index) => configMap(index, "x")),
      SMALL,
    ],
    ["a directive", "%YAML 1.2\n" + before, after, SMALL],
    ["CRLF line ends", before.replace(/\n/g, "\r\n"), after.replace(/\n/g, "\r\n"), SMALL],
    ["a template action", before, after.replace("edited", "{{ .Values.x }}"), SMALL],
    ["a BOM past the start", before, after + "\ufeff---\na: 1\n", SMALL],
    [
      "more than half the documents changed",
      before,
      manifest(20, (index) => configMap(index, "x")),
      SMALL,
    ],
  ])("%s", (_, beforeText, afterText, thresholds) => {
    expect(parseYamlPair(beforeText, afterText, undefined, thresholds)).toBeUndefined();
  });
  it("takes the document cut when nothing rules it out (the cases above change one thing each)", () => {
    expect(parseYamlPair(before, after, undefined, SMALL)).toBeDefined();
  });
});

const corpus = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
const present = existsSync(corpus);
if (!present) console.log(`corpus not found at ${corpus}: skipping the YAML pair corpus test`);

function folders(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (!statSync(path).isDirectory()) return [];
      return [path, ...folders(path)];
    });
}

/** Each change folder's before/after YAML, both ways round. */
function corpusPairs(): { name: string; before: string; after: string }[] {
  return folders(corpus).flatMap((folder) => {
    const names = readdirSync(folder);
    const before = names.find((name) => /^before\.ya?ml$/.test(name));
    const after = names.find((name) => /^after\.ya?ml$/.test(name));
    if (!before || !after) return [];
    const beforeText = readFileSync(join(folder, before), "utf8");
    const afterText = readFileSync(join(folder, after), "utf8");
    const name = folder.slice(corpus.length);
    return [
      { name, before: beforeText, after: afterText },
      { name: `${name} (reversed)`, before: afterText, after: beforeText },
    ];
  });
}

describe.skipIf(!present)("parseYamlPair on the shared corpus", () => {
  it("each YAML pair's sides equal parseSource's, and multi-document ones reuse documents", () => {
    const pairs = corpusPairs();
    let cut = 0;
    for (const { name, before, after } of pairs) {
      const pair = parseYamlPair(before, after, name, { minLength: 0, minDocuments: 1 });
      if (!pair) continue;
      expect(exact(pair.before), name).toStrictEqual(exact(parseSource("yaml", before, name)));
      expect(exact(pair.after), name).toStrictEqual(exact(parseSource("yaml", after, name)));
      if (pair.reusedDocuments > 0) cut++;
    }
    console.log(`${pairs.length} YAML pairs (both ways round), ${cut} read document-wise`);
    expect(pairs.length).toBeGreaterThan(100);
    expect(cut).toBeGreaterThan(0);
  });

  it("each multi-document file against itself with a document dropped, repeated or moved", () => {
    let cut = 0;
    for (const { name, before } of corpusPairs()) {
      const parts = before.split(/^(?=---(?:[ \t]|$))/m);
      if (parts.length < 4) continue;
      const middle = Math.floor(parts.length / 2);
      const variants = [
        parts.filter((_, index) => index !== middle),
        [...parts, parts[1]!.endsWith("\n") ? parts[1]! : `\n${parts[1]!}`],
        [parts[0]!, parts[2]!, parts[1]!, ...parts.slice(3)],
      ].map((variant) => variant.join(""));
      for (const after of variants) {
        const pair = parseYamlPair(before, after, name, { minLength: 0, minDocuments: 1 });
        if (!pair) continue;
        expect(exact(pair.before), name).toStrictEqual(exact(parseSource("yaml", before, name)));
        expect(exact(pair.after), name).toStrictEqual(exact(parseSource("yaml", after, name)));
        if (pair.reusedDocuments > 0) cut++;
      }
    }
    expect(cut).toBeGreaterThan(0);
  });
});
