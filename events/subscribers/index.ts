/** Outbound subscribers that need no code: EventBridge rules with input transformers on API destinations. */
export {
  PAGERDUTY_EVENTS_ENDPOINT,
  PAGERDUTY_ROUTING_KEY_FIELD,
  PAGERDUTY_SUBSCRIPTIONS,
  pagerDutyConnectionAuth,
} from "./pagerduty";
export { SLACK_SUBSCRIPTIONS } from "./slack";
export { INCIDENT_ACTIVE, INCIDENT_OVER } from "./incident-patterns";
export { asJson, awsInputTransformer, jsonTemplate, type SubscriberInputTransformer, type Subscription } from "./subscription";
