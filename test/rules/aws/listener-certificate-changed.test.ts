import listenerCertificateChanged from "../../../src/rules/aws/listener-certificate-changed.js";
import { ruleTable } from "../rule-table.js";
import { FORWARD_WEB, awsPath, httpsListener, listener } from "./builders.js";

ruleTable(listenerCertificateChanged, {
  path: awsPath,
  cases: [
    {
      name: "another certificate ARN",
      before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
      after: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06").replace(
        "certificate/aaa",
        "certificate/bbb",
      ),
      expect: [
        { severity: "medium", line: "certificate/bbb", phrase: "subject alternative names" },
      ],
    },
    {
      name: "certificate removed from an HTTPS listener",
      before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
      after: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06").replace(
        /\n {2}certificate_arn.*\n/,
        "\n",
      ),
      expect: [
        {
          severity: "medium",
          line: 'resource "aws_lb_listener"',
          phrase: "the deploy will fail",
        },
      ],
    },
    {
      name: "the same certificate through its validation resource",
      before: listener(
        '  port            = 443\n  protocol        = "HTTPS"\n  certificate_arn = aws_acm_certificate.site.arn',
        FORWARD_WEB,
      ),
      after: listener(
        '  port            = 443\n  protocol        = "HTTPS"\n  certificate_arn = aws_acm_certificate_validation.site.certificate_arn',
        FORWARD_WEB,
      ),
      expect: [],
    },
  ],
});
