import { forwardingRules } from "./bus";
import { allowDeadLettersFrom } from "./dead-letters";
import { deadLetterSources } from "./subscriptions";
import { subscriberRuleArns } from "./subscribers";

/** The dead-letter queue accepts messages from every rule of the app, and from nothing else. */
export const deadLetterPolicy = allowDeadLettersFrom(
  $resolve([$resolve([...forwardingRules.map((rule) => rule.arn), ...deadLetterSources]), subscriberRuleArns]).apply(([own, outbound]) => [...own, ...outbound]),
);
