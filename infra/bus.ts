import { forwardedFromDefaultBus } from "../events/patterns";
import { asyncTargetArgs } from "./dead-letters";
import { isProduction } from "./stage";

/** The ops bus: every AWS event Vigil consumes is forwarded here, and every event it emits is published here. */
export const opsBus = new sst.aws.Bus("OpsBus");

/** Days the archive keeps the ops bus's events for replay (`aws events start-replay`). */
export const ARCHIVE_RETENTION_DAYS = isProduction ? 90 : 7;

/** Every event that reaches the ops bus, inbound and outbound, kept for replay after a fix or an outage. */
export const opsBusArchive = new aws.cloudwatch.EventArchive("OpsBusArchive", {
  eventSourceArn: opsBus.arn,
  retentionDays: ARCHIVE_RETENTION_DAYS,
  description: "Vigil ops bus, for replay",
});

/** Lets EventBridge put the default bus's matching events onto the ops bus. */
const forwardingRole = new aws.iam.Role("OpsBusForwardingRole", {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "events.amazonaws.com" }),
  inlinePolicies: [
    {
      name: "PutEventsOnOpsBus",
      policy: aws.iam.getPolicyDocumentOutput({
        statements: [{ actions: ["events:PutEvents"], resources: [opsBus.arn] }],
      }).json,
    },
  ],
});

/**
 * One rule on the default bus per entry of `forwardedFromDefaultBus`, each targeting the ops bus. Vigil's
 * own alarms (`CloudWatch Alarm State Change`) come back this way, so it groups its own failures.
 */
export const forwardingRules = Object.entries(forwardedFromDefaultBus).map(([key, pattern]) => {
  const name = `Forward${key.charAt(0).toUpperCase()}${key.slice(1)}`;
  const rule = new aws.cloudwatch.EventRule(`${name}Rule`, {
    eventBusName: "default",
    description: `Forwards ${key} from the default bus to the ops bus`,
    eventPattern: JSON.stringify(pattern),
  });
  new aws.cloudwatch.EventTarget(`${name}Target`, {
    eventBusName: "default",
    rule: rule.name,
    arn: opsBus.arn,
    roleArn: forwardingRole.arn,
    ...asyncTargetArgs(),
  });
  return rule;
});
