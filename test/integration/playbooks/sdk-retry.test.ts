import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetPlaybookClients } from "../../../functions/lib/playbooks/clients";
import { PlaybookThrottledError } from "../../../functions/lib/playbooks/errors";
import { execute } from "../../../functions/lib/playbooks/execute";
import { planFor } from "../../unit/playbooks/plans";

const THROTTLED = `<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r1</RequestID></Response>`;
const DELETED = `<DeleteVolumeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r2</requestId><return>true</return></DeleteVolumeResponse>`;

// aws-sdk-client-mock replaces `send`, so the SDK's retry middleware only runs against a real endpoint.
describe("the SDK's standard retry absorbs EC2 throttling before the playbook sees it", () => {
  let server: Server;
  let throttleFirst = 0;
  let requests = 0;
  const saved = { ...process.env };
  const plan = planFor("ec2.delete-unattached-volume", { kind: "volume", volumeId: "vol-1" }, { snapshotFirst: false });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        // Only DeleteVolume is throttled and counted; the re-read afterwards is answered, not counted.
        if (!body.includes("Action=DeleteVolume")) return void res.writeHead(200, { "content-type": "text/xml" }).end("<DescribeVolumesResponse/>");
        requests += 1;
        const throttled = requests <= throttleFirst;
        res.writeHead(throttled ? 503 : 200, { "content-type": "text/xml" }).end(throttled ? THROTTLED : DELETED);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_ENDPOINT_URL_EC2: `http://127.0.0.1:${port}`, AWS_MAX_ATTEMPTS: "3" });
  });
  beforeEach(() => {
    requests = 0;
    resetPlaybookClients();
  });
  afterAll(async () => {
    resetPlaybookClients();
    process.env = saved;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("succeeds when the throttling stops within the attempts", async () => {
    throttleFirst = 2;
    await expect(execute(plan, {})).resolves.toMatchObject({ results: [{}] });
    expect(requests).toBe(3);
  });

  it("rethrows PlaybookThrottledError after the last attempt", async () => {
    throttleFirst = 100;
    const error = await execute(plan, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaybookThrottledError);
    expect(error).toMatchObject({ awsCode: "RequestLimitExceeded", attempts: 3 });
    expect(requests).toBe(3);
  });
});
