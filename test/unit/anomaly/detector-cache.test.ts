import { describe, expect, it } from "vitest";
import { createDetector } from "../../../core/anomaly";
import { DetectorCache } from "../../../functions/lib/anomaly-detectors";

describe("DetectorCache", () => {
  it("gives a detector back only at the version it was kept at, and only once", () => {
    const cache = new DetectorCache();
    const detector = createDetector();
    cache.keep("s1", 3, detector);
    expect(cache.take("s1", 4)).toBeUndefined();
    cache.keep("s1", 3, detector);
    expect(cache.take("s1", 3)).toBe(detector);
    // Taken: it is being scored in place, so a second taker must parse the stored state.
    expect(cache.take("s1", 3)).toBeUndefined();
  });

  it("drops the least recently kept series beyond its capacity", () => {
    const cache = new DetectorCache(2);
    const [a, b, c] = [createDetector(), createDetector(), createDetector()];
    cache.keep("a", 1, a);
    cache.keep("b", 1, b);
    cache.keep("a", 2, a);
    cache.keep("c", 1, c);
    expect(cache.size).toBe(2);
    expect(cache.take("b", 1)).toBeUndefined();
    expect(cache.take("a", 2)).toBe(a);
    expect(cache.take("c", 1)).toBe(c);
  });
});
