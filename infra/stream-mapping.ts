import { streamFailures } from "./dead-letters";
import { ALERT_STREAM_MAPPING, STREAM_MAPPING } from "./stream-settings";

/**
 * Feeds `stream` to a function. The function's role reads the stream and writes the failure queue
 * (grant `KINESIS_READ_ACTIONS` and `SEND_MESSAGE_ACTIONS`); an ARN, not SST's `subscribe`, so SST adds no grant of its own.
 */
export function streamMapping(
  name: string,
  stream: { arn: $util.Input<string> },
  fn: { name: $util.Input<string> },
  settings: typeof STREAM_MAPPING | typeof ALERT_STREAM_MAPPING = STREAM_MAPPING,
) {
  return new aws.lambda.EventSourceMapping(name, {
    eventSourceArn: stream.arn,
    functionName: fn.name,
    ...settings,
    functionResponseTypes: [...settings.functionResponseTypes],
    destinationConfig: { onFailure: { destinationArn: streamFailures.arn } },
  });
}
