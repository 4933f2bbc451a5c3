import { KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/**
 * A Kinesis client for a loopback Kinesis API: the local runtime's endpoint, or kinesalite in tests and benchmarks.
 *
 * The SDK's default request handler for Kinesis is HTTP/2, which neither loopback server speaks, so
 * this client uses the HTTP/1.1 `NodeHttpHandler`. No CBOR switch is needed: SDK v3 Kinesis
 * speaks the `awsJson1_1` protocol (CBOR and `AWS_CBOR_DISABLE` were SDK v2 only).
 * Credentials are dummies: neither server checks signatures.
 */
export function localKinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    requestHandler: new NodeHttpHandler(),
  });
}
