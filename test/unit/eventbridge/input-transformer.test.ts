import { describe, expect, it } from "vitest";
import { applyInputPath, applyInputTransformer, InputTransformerError } from "../../../core/eventbridge/input-transformer";

/** The EC2 event from AWS's "Amazon EventBridge input transformation" page. */
const ec2Event = {
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "123456789012",
  time: "2015-11-11T21:29:54Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  detail: { "instance-id": "i-0123456789", state: "RUNNING" },
};
const docsPaths = { timestamp: "$.time", instance: "$.detail.instance-id", state: "$.detail.state" };
const context = { ruleArn: "arn:aws:events:us-east-2:123456789012:rule/example", ruleName: "example" };
const render = (InputTemplate: string, event: Record<string, unknown> = ec2Event): string =>
  applyInputTransformer({ InputPathsMap: docsPaths, InputTemplate }, event, context);

/** A realistic `Incident Opened` event as Vigil emits it. */
const incidentOpened = {
  version: "0",
  id: "0d5d9c4e-6a3f-4c55-9d2b-3c1b7d2f1a10",
  "detail-type": "Incident Opened",
  source: "vigil",
  account: "123456789012",
  time: "2024-05-01T12:00:00Z",
  region: "eu-west-1",
  resources: [],
  detail: {
    schemaVersion: 1,
    incidentId: "inc-42",
    severity: "critical",
    summary: 'checkout-api p99 latency 2.3s (threshold "1s")\nsince 11:58',
    dedupKey: "vigil/checkout-api/latency",
    service: "checkout-api",
    alertCount: 7,
    links: [{ href: "https://vigil.example/incidents/inc-42", text: "Incident" }],
  },
};

describe("applyInputTransformer: AWS documentation examples", () => {
  it("renders a simple string template", () => {
    expect(render('"instance <instance> is in <state>"')).toBe('"instance i-0123456789 is in RUNNING"');
  });

  it("keeps escaped quotes inside a string template", () => {
    expect(render('"instance \\"<instance>\\" is in <state>"')).toBe('"instance \\"i-0123456789\\" is in RUNNING"');
  });

  it("quotes string values standing alone in simple JSON", () => {
    const out = render('{\n  "instance" : <instance>,\n  "state": <state>\n}');
    expect(JSON.parse(out)).toEqual({ instance: "i-0123456789", state: "RUNNING" });
  });

  it("mixes variables inside and outside string literals", () => {
    const out = render('{"instance": <instance>, "state": "<state>", "instanceStatus": "instance \\"<instance>\\" is in <state>"}');
    expect(JSON.parse(out)).toEqual({
      instance: "i-0123456789",
      state: "RUNNING",
      instanceStatus: 'instance "i-0123456789" is in RUNNING',
    });
  });

  it("mixes variables with static values in arrays", () => {
    const out = render('{"instance": <instance>, "state": [9, <state>, true], "Transformed": "Yes"}');
    expect(JSON.parse(out)).toEqual({ instance: "i-0123456789", state: [9, "RUNNING", true], Transformed: "Yes" });
  });

  it("fills the reserved rule and event variables", () => {
    const out = render(
      '{"instance": <instance>, "ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>, "originalEvent": <aws.events.event>}',
    );
    expect(JSON.parse(out)).toEqual({
      instance: "i-0123456789",
      ruleArn: context.ruleArn,
      ruleName: "example",
      originalEvent: { ...ec2Event, detail: undefined },
    });
    expect(JSON.parse(out)).not.toHaveProperty("originalEvent.detail");
    expect(render('"<aws.events.rule-name> triggered"')).toBe('"example triggered"');
  });

  it("renders the CloudWatch log group template as valid JSON", () => {
    const out = render('{"timestamp": <timestamp>, "message": "instance \\"<instance>\\" is in <state>"}');
    expect(JSON.parse(out)).toEqual({ timestamp: "2015-11-11T21:29:54Z", message: 'instance "i-0123456789" is in RUNNING' });
  });

  it("renders the API reference's plain-text template without quotes", () => {
    const out = applyInputTransformer(
      { InputPathsMap: { instance: "$.detail.instance", status: "$.detail.status" }, InputTemplate: "<instance> is in state <status>" },
      { detail: { instance: "i-1", status: "stopped" } },
    );
    expect(out).toBe("i-1 is in state stopped");
  });
});

describe("applyInputTransformer: values and paths", () => {
  it("inserts objects, arrays and numbers as JSON and escapes them inside strings", () => {
    const out = applyInputTransformer(
      {
        InputPathsMap: { detail: "$.detail", links: "$.detail.links", count: "$.detail.alertCount", first: "$.detail.links[0].href" },
        InputTemplate: '{"d": <detail>, "l": <links>, "n": <count>, "s": "count=<count> links=<links>", "f": <first>}',
      },
      incidentOpened,
    );
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(parsed.d).toEqual(incidentOpened.detail);
    expect(parsed.l).toEqual(incidentOpened.detail.links);
    expect(parsed.n).toBe(7);
    expect(parsed.s).toBe(`count=7 links=${JSON.stringify(incidentOpened.detail.links)}`);
    expect(parsed.f).toBe("https://vigil.example/incidents/inc-42");
  });

  it("yields null for a missing path standing alone, and nothing inside strings or plain text", () => {
    const transformer = { InputPathsMap: { gone: "$.detail.nope" }, InputTemplate: '{"a": <gone>, "b": "x<gone>y"}' };
    expect(JSON.parse(applyInputTransformer(transformer, ec2Event))).toEqual({ a: null, b: "xy" });
    expect(applyInputTransformer({ InputPathsMap: { gone: "$.nope" }, InputTemplate: "[<gone>]" }, ec2Event)).toBe("[null]");
    expect(applyInputTransformer({ InputPathsMap: { gone: "$.nope" }, InputTemplate: "value: <gone>!" }, ec2Event)).toBe("value: !");
  });

  it("passes the whole event for $ and the ingestion time and full event JSON", () => {
    const out = applyInputTransformer(
      { InputPathsMap: { all: "$" }, InputTemplate: '{"all": <all>, "at": <aws.events.event.ingestion-time>, "raw": <aws.events.event.json>}' },
      ec2Event,
      { ingestionTime: "2015-11-11T21:29:55Z" },
    );
    const parsed = JSON.parse(out) as { all: unknown; at: string; raw: unknown };
    expect(parsed.all).toEqual(ec2Event);
    expect(parsed.at).toBe("2015-11-11T21:29:55Z");
    expect(parsed.raw).toEqual(ec2Event);
  });

  it("collects wildcard paths into arrays", () => {
    const out = applyInputTransformer({ InputPathsMap: { hrefs: "$.detail.links[*].href" }, InputTemplate: "{\"h\": <hrefs>}" }, incidentOpened);
    expect(JSON.parse(out)).toEqual({ h: ["https://vigil.example/incidents/inc-42"] });
  });
});

describe("applyInputTransformer: subscriber templates", () => {
  it("turns Incident Opened into a PagerDuty Events v2 trigger", () => {
    const pagerDuty = {
      InputPathsMap: {
        dedupKey: "$.detail.dedupKey",
        summary: "$.detail.summary",
        severity: "$.detail.severity",
        service: "$.detail.service",
        time: "$.time",
        detail: "$.detail",
        link: "$.detail.links[0].href",
      },
      InputTemplate: `{
        "routing_key": "R0UT1NGKEY",
        "event_action": "trigger",
        "dedup_key": <dedupKey>,
        "payload": {
          "summary": "[<severity>] <summary>",
          "source": <service>,
          "severity": <severity>,
          "timestamp": <time>,
          "component": "<service>",
          "custom_details": <detail>
        },
        "links": [{"href": <link>, "text": "Open in Vigil"}]
      }`,
    };
    const body = JSON.parse(applyInputTransformer(pagerDuty, incidentOpened, context)) as Record<string, unknown>;
    expect(body).toMatchObject({
      routing_key: "R0UT1NGKEY",
      event_action: "trigger",
      dedup_key: "vigil/checkout-api/latency",
      payload: {
        summary: `[critical] ${incidentOpened.detail.summary}`,
        source: "checkout-api",
        severity: "critical",
        timestamp: "2024-05-01T12:00:00Z",
        component: "checkout-api",
        custom_details: incidentOpened.detail,
      },
      links: [{ href: "https://vigil.example/incidents/inc-42", text: "Open in Vigil" }],
    });
  });

  it("turns Incident Opened into a Slack incoming-webhook message", () => {
    const slack = {
      InputPathsMap: { severity: "$.detail.severity", summary: "$.detail.summary", id: "$.detail.incidentId", link: "$.detail.links[0].href" },
      InputTemplate: '{"text": ":rotating_light: *<severity>* <summary> (<<link>|<id>>) via <aws.events.rule-name>"}',
    };
    const body = JSON.parse(applyInputTransformer(slack, incidentOpened, context)) as { text: string };
    expect(body.text).toBe(
      `:rotating_light: *critical* ${incidentOpened.detail.summary} (<https://vigil.example/incidents/inc-42|inc-42>) via example`,
    );
  });
});

describe("applyInputTransformer: validation", () => {
  const expectError = (fn: () => unknown, message: RegExp): void => {
    let thrown: unknown;
    try {
      fn();
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(InputTransformerError);
    expect(thrown).toMatchObject({ name: "InputTransformerError", code: "eventbridge.invalid_input_transformer" });
    expect((thrown as Error).message).toMatch(message);
  };

  it("rejects a placeholder with no variable", () => {
    expectError(() => render('{"x": <nope>}'), /<nope> is not defined/);
  });

  it("rejects bad paths and bad variable names", () => {
    expectError(() => applyInputTransformer({ InputPathsMap: { a: "detail.x" }, InputTemplate: "<a>" }, ec2Event), /must start with "\$"/);
    expectError(() => applyInputTransformer({ InputPathsMap: { a: "$.detail[x]" }, InputTemplate: "<a>" }, ec2Event), /not valid at position 8/);
    expectError(() => applyInputTransformer({ InputPathsMap: { "a b": "$.x" }, InputTemplate: "x" }, ec2Event), /not a valid variable name/);
  });

  it("allows 100 variables and rejects 101", () => {
    const paths = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, "$.id"]));
    expect(applyInputTransformer({ InputPathsMap: paths(100), InputTemplate: "<v99>" }, ec2Event)).toBe(ec2Event.id);
    expectError(() => applyInputTransformer({ InputPathsMap: paths(101), InputTemplate: "x" }, ec2Event), /at most 100/);
  });

  it("rejects the unescaped whole-event variables inside a string, as AWS documents them for JSON values only", () => {
    expectError(() => render('{"raw": "<aws.events.event.json>"}'), /inside a string/);
    expectError(() => render('{"raw": "event: <aws.events.event>"}'), /inside a string/);
  });

  it("rejects a placeholder used as an object key and a template that is not valid JSON", () => {
    expectError(() => render('{"<instance>": 1}'), /object key/);
    expectError(() => render('{"instance": <instance>,}'), /valid JSON/);
  });
});

describe("applyInputPath", () => {
  it("selects part of the event, the whole event for $, and null when absent", () => {
    expect(applyInputPath("$.detail", ec2Event)).toEqual(ec2Event.detail);
    expect(applyInputPath("$.resources[0]", ec2Event)).toBe(ec2Event.resources[0]);
    expect(applyInputPath("$", ec2Event)).toEqual(ec2Event);
    expect(applyInputPath("$.detail.missing", ec2Event)).toBeNull();
  });

  it("rejects paths that are not $-rooted", () => {
    expect(() => applyInputPath("detail", ec2Event)).toThrow(InputTransformerError);
  });
});
