import { KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/**
 * A Kinesis client for a local, loopback Kinesis API (kinesalite).
 *
 * The SDK's default request handler for Kinesis is HTTP/2, which kinesalite does not speak, so
 * this client uses the HTTP/1.1 `NodeHttpHandler`. No CBOR switch is needed: SDK v3 Kinesis
 * speaks the `awsJson1_1` protocol (CBOR and `AWS_CBOR_DISABLE` were SDK v2 only).
 * Credentials are dummies: kinesalite does not check signatures.
 */
export function localKinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    requestHandler: new NodeHttpHandler(),
  });
}
