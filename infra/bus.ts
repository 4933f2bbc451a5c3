import { forwardedFromDefaultBus } from "../events/patterns";

/** The ops bus: every AWS event Vigil consumes is forwarded here, and every event it emits is published here. */
export const opsBus = new sst.aws.Bus("OpsBus");

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

/** One rule on the default bus per entry of `forwardedFromDefaultBus`, each targeting the ops bus. */
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
  });
  return rule;
});
