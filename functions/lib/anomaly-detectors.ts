import type { DetectorState } from "../../core/anomaly";

/** Series a warm scorer keeps in memory (a detector is a few KB; trees live in the forest's shared pool of at most 8 MiB). */
export const DETECTOR_CACHE_SIZE = 5_000;

/**
 * Detectors a warm Lambda keeps between invocations, each with the stored version it equals.
 * A series loaded at the same version another writer could not have changed is scored from the
 * cached object, with no parse or validation of its stored state; any other version is parsed
 * from the store. The version is the one the conditional save checks, so a stale entry is never used.
 */
export class DetectorCache {
  private readonly entries = new Map<string, { version: number; detector: DetectorState }>();

  constructor(private readonly capacity = DETECTOR_CACHE_SIZE) {}

  /**
   * The cached detector of a series when it is the one stored at `version`. It leaves the cache:
   * the caller scores it in place, and only a successful save puts it back (`keep`).
   */
  take(seriesId: string, version: number): DetectorState | undefined {
    const entry = this.entries.get(seriesId);
    this.entries.delete(seriesId);
    return entry?.version === version ? entry.detector : undefined;
  }

  /** Keeps a detector that the store now holds at `version` (the oldest entry goes when full). */
  keep(seriesId: string, version: number, detector: DetectorState): void {
    this.entries.delete(seriesId);
    this.entries.set(seriesId, { version, detector });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
