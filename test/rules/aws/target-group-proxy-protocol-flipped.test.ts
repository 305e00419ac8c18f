import targetGroupProxyProtocolFlipped from "../../../src/rules/aws/target-group-proxy-protocol-flipped.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, tgBase } from "./builders.js";

ruleTable(targetGroupProxyProtocolFlipped, {
  path: awsPath,
  cases: [
    {
      name: "turned on",
      before: tgBase("", "  proxy_protocol_v2 = false"),
      after: tgBase("", "  proxy_protocol_v2 = true"),
      expect: [
        {
          severity: "high",
          line: "proxy_protocol_v2 = true",
          phrase: "PROXY protocol v2 header",
        },
      ],
    },
    {
      name: "the default made explicit",
      before: tgBase(""),
      after: tgBase("", "  proxy_protocol_v2 = false"),
      expect: [],
    },
  ],
});
