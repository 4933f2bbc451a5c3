import type { AwsClientStub } from "aws-sdk-client-mock";

/** The operations a mocked client received, in order (`DescribeVolumes`, not `DescribeVolumesCommand`). */
export function operations(mock: AwsClientStub<any>): string[] {
  return mock.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ""));
}

/** The input of the n-th call a mocked client received. */
export function inputOf(mock: AwsClientStub<any>, n: number): unknown {
  return (mock.call(n).args[0] as { input: unknown }).input;
}

/** An error as SDK v3 raises it for an AWS error code. */
export function awsError(code: string, attempts = 1): Error {
  return Object.assign(new Error(`${code} (test)`), { name: code, $fault: "client", $metadata: { attempts } });
}
