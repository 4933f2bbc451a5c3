import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock";

describe("VirtualClock", () => {
  it("runs due timers in time order, each at its own time", async () => {
    const clock = new VirtualClock(0);
    const seen: [string, number][] = [];
    clock.at(300, () => void seen.push(["c", clock.now()]));
    clock.at(100, () => void seen.push(["a", clock.now()]));
    clock.at(200, () => void seen.push(["b", clock.now()]));
    await clock.advanceTo(250);
    expect(seen).toEqual([["a", 100], ["b", 200]]);
    expect(clock.now()).toBe(250);
    await clock.advanceTo(1000);
    expect(seen.at(-1)).toEqual(["c", 300]);
  });

  it("fires a periodic timer once per interval crossed", async () => {
    const clock = new VirtualClock(5);
    const ticks: number[] = [];
    clock.every(60, (at) => void ticks.push(at));
    await clock.advanceTo(200);
    expect(ticks).toEqual([60, 120, 180]);
  });

  it("never goes backwards", async () => {
    const clock = new VirtualClock(500);
    await clock.advanceTo(100);
    expect(clock.now()).toBe(500);
  });
});
