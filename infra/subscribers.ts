import { PAGERDUTY_EVENTS_ENDPOINT, PAGERDUTY_ROUTING_KEY_FIELD, PAGERDUTY_SUBSCRIPTIONS, SLACK_SUBSCRIPTIONS, type Subscription } from "../events/subscribers";
import { opsBus } from "./bus";
import { asyncTargetArgs } from "./dead-letters";
import { pagerDutyRoutingKey, slackWebhookUrl } from "./secrets";

/** What one outbound subscriber needs: an HTTPS endpoint, how to authenticate, and its rules. */
interface Outbound {
  name: string;
  endpoint: $util.Input<string>;
  auth: aws.types.input.cloudwatch.EventConnectionAuthParameters;
  subscriptions: readonly Subscription[];
}

// Cost guard: PagerDuty and Slack both rate-limit well above this.
const INVOCATIONS_PER_SECOND = 10;

const pascal = (kebab: string) => kebab.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

/**
 * A connection, an API destination, and one rule per subscription with the contract's input
 * transformer: EventBridge calls the endpoint itself, no function runs in between.
 */
function outbound({ name, endpoint, auth, subscriptions }: Outbound) {
  const connection = new aws.cloudwatch.EventConnection(`${name}Connection`, {
    description: `Vigil → ${name}`,
    authorizationType: "API_KEY",
    authParameters: auth,
  });
  const destination = new aws.cloudwatch.EventApiDestination(`${name}Destination`, {
    description: `Vigil → ${name}`,
    connectionArn: connection.arn,
    invocationEndpoint: endpoint,
    httpMethod: "POST",
    invocationRateLimitPerSecond: INVOCATIONS_PER_SECOND,
  });
  const role = new aws.iam.Role(`${name}InvokeRole`, {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "events.amazonaws.com" }),
    inlinePolicies: [
      {
        name: "InvokeApiDestination",
        policy: aws.iam.getPolicyDocumentOutput({ statements: [{ actions: ["events:InvokeApiDestination"], resources: [destination.arn] }] }).json,
      },
    ],
  });
  return subscriptions.map((subscription) => {
    const id = `${name}${pascal(subscription.name)}`;
    const rule = new aws.cloudwatch.EventRule(`${id}Rule`, {
      eventBusName: opsBus.name,
      description: `Vigil → ${name}: ${subscription.name}`,
      eventPattern: JSON.stringify(subscription.pattern),
    });
    new aws.cloudwatch.EventTarget(`${id}Target`, {
      eventBusName: opsBus.name,
      rule: rule.name,
      arn: destination.arn,
      roleArn: role.arn,
      inputTransformer: {
        inputPaths: { ...subscription.inputTransformer.inputPathsMap },
        inputTemplate: subscription.inputTransformer.inputTemplate,
      },
      ...asyncTargetArgs(),
    });
    return rule;
  });
}

/**
 * PagerDuty Events API v2: the routing key travels as a secret body parameter of the connection (kept in
 * Secrets Manager, never in a template). The API key header is required by connections and ignored by PagerDuty.
 */
function pagerDuty(routingKey: $util.Output<string>) {
  return outbound({
    name: "PagerDuty",
    endpoint: PAGERDUTY_EVENTS_ENDPOINT,
    auth: {
      apiKey: { key: "X-Vigil-Subscriber", value: "pagerduty" },
      invocationHttpParameters: { bodies: [{ key: PAGERDUTY_ROUTING_KEY_FIELD, value: routingKey, isValueSecret: true }] },
    },
    subscriptions: PAGERDUTY_SUBSCRIPTIONS,
  });
}

/** A Slack incoming webhook: the URL is the credential, so it is the endpoint and nothing else authenticates. */
function slack(webhookUrl: $util.Output<string>) {
  return outbound({
    name: "Slack",
    endpoint: webhookUrl,
    auth: { apiKey: { key: "X-Vigil-Subscriber", value: "slack" } },
    subscriptions: SLACK_SUBSCRIPTIONS,
  });
}

/**
 * Each subscriber exists while its secret is non-empty. Secret values are known when the program runs
 * (SST reads them before evaluating it), so deciding inside `apply` creates the resources in preview too.
 */
const when = (secret: sst.Secret, create: (value: $util.Output<string>) => aws.cloudwatch.EventRule[]) =>
  secret.value.apply((value) => (value === "" ? $output<string[]>([]) : $resolve(create(secret.value).map((rule) => rule.arn))));

/** The outbound rules' ARNs (their targets dead-letter too). */
export const subscriberRuleArns = $resolve([when(pagerDutyRoutingKey, pagerDuty), when(slackWebhookUrl, slack)]).apply((lists) => lists.flat());
