import { describe, expect, it } from "vitest";
import { CANARY_DETAIL_TYPE, CANARY_EVENT_SOURCE, s3CanaryResults, s3MarkerKey } from "../../../core/replication";
import { decodeMonitorInput } from "../../../functions/lib/replication-inputs";
import { at, target, targets } from "./factory";

const s3 = target("assets-bucket");
const objectCreated = (bucket: string, key: string, minute: number) => ({
  version: "0", id: `o${minute}`, "detail-type": "Object Created", source: "aws.s3", account: "123456789012", time: new Date(at(minute)).toISOString(), region: "us-west-2",
  resources: [`arn:aws:s3:::${bucket}`], detail: { version: "0", bucket: { name: bucket }, object: { key, size: 60 }, reason: "PutObject" },
});

describe("decodeMonitorInput and the canary probe", () => {
  it("dates a probe marker's arrival in the replica from its key, on the same route as the probe's own reports", () => {
    const input = decodeMonitorInput(objectCreated("assets-dr", s3MarkerKey(s3.id, at(3)), 4), targets());
    expect(input).toMatchObject({ kind: "signals", results: [{ ok: true, signal: { type: "canary-observation", resource: s3.resource, replica: "arn:aws:s3:::assets-dr", writtenAt: at(3), observedAt: at(4) } }] });
    expect(decodeMonitorInput(objectCreated("assets", s3MarkerKey(s3.id, at(3)), 3), targets())).toMatchObject({ results: [{ ok: false, reason: "irrelevant" }] });
  });

  it("reads a probe report from the ops bus as the model's canary signal", () => {
    if (s3.kind !== "s3") throw new Error("factory target changed kind");
    const [report] = s3CanaryResults(s3, { source: [s3MarkerKey(s3.id, at(1)), s3MarkerKey(s3.id, at(2))], replica: [s3MarkerKey(s3.id, at(1))] }, at(2));
    const event = { version: "0", id: "r1", source: CANARY_EVENT_SOURCE, "detail-type": CANARY_DETAIL_TYPE, account: "123456789012", time: new Date(at(2)).toISOString(), region: "us-east-1", resources: [s3.resource], detail: report };
    expect(decodeMonitorInput(event, targets())).toEqual({
      kind: "signals",
      fromStream: false,
      results: [{ ok: true, signal: { type: "canary-observation", kind: "s3", resource: s3.resource, replica: "arn:aws:s3:::assets-dr", markerId: s3MarkerKey(s3.id, at(1)), writtenAt: at(1), observedAt: at(2), at: at(2) } }],
    });
  });

  it("calls a report from another source unrecognised, and a broken report malformed", () => {
    expect(decodeMonitorInput({ source: "vigil", "detail-type": CANARY_DETAIL_TYPE, detail: {} }, targets())).toMatchObject({ kind: "unrecognised" });
    expect(decodeMonitorInput({ source: CANARY_EVENT_SOURCE, "detail-type": CANARY_DETAIL_TYPE, detail: { kind: "s3" } }, targets())).toMatchObject({ results: [{ ok: false, reason: "malformed" }] });
  });
});
