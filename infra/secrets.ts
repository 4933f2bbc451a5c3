/**
 * The HMAC key approval links are signed with. Required: `npx sst secret set VigilApprovalKey "$(openssl rand -hex 32)"`
 * before the first deploy (SST refuses to deploy a secret without a value).
 */
export const approvalKey = new sst.Secret("VigilApprovalKey");

/**
 * Outbound subscribers are opt-in by secret: each defaults to "" (off), and setting a non-empty value
 * (`npx sst secret set PagerDutyRoutingKey <key>`) creates its connection, API destination and rules on the
 * next deploy; `npx sst secret remove` and a deploy take them away. No other flag to keep in sync.
 */
export const pagerDutyRoutingKey = new sst.Secret("PagerDutyRoutingKey", "");

/** A Slack incoming-webhook URL (`https://hooks.slack.com/services/…`); "" keeps Slack off. */
export const slackWebhookUrl = new sst.Secret("SlackWebhookUrl", "");
