import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import type { ProtectedResource } from "../../core/replication/config";
import { replicationDetail } from "../../core/replication/detail";
import type { ReplicationTransition } from "../../core/replication/model";
import { initialState, type ReplicationState } from "../../core/replication/state";
import { ConcurrencyConflictError } from "../../core/store/errors";
import type { ReplicationTarget, Store } from "../../core/store/service";
import { createReplicationTarget, updateReplicationTarget } from "../../core/store/versioned";
import { replicationEntry } from "../../events/outbound/replication";

/** What a step decided for one target: its next state and the transitions it made, in order. */
export interface TargetStep {
  state: ReplicationState;
  transitions: ReplicationTransition[];
}

/** Targets still written concurrently after every reload: the invocation fails and is retried. */
export class ReplicationContentionError extends Error {
  override readonly name = "ReplicationContentionError";
  readonly code = "replication.target_contention";
}

/** A stored target whose `state` attribute is not the model's JSON: never silently reset. */
export class CorruptReplicationStateError extends Error {
  override readonly name = "CorruptReplicationStateError";
  readonly code = "replication.corrupt_state";
}

const ATTEMPTS = 3;

/** The persisted model state of an item, or a fresh one when the target was never written. */
export function storedState(item: ReplicationTarget | undefined, targetId: string): ReplicationState {
  if (item?.state === undefined) return initialState(targetId);
  try {
    const state = JSON.parse(item.state) as ReplicationState;
    if (state.targetId === targetId) return state;
  } catch {
    // Reported below with the target's id.
  }
  throw new CorruptReplicationStateError(`replicationTarget "${targetId}": stored state is not this target's model state`);
}

/** Loads the stored items of `ids` in one BatchGet. */
export async function loadTargets(store: Store, ids: readonly string[]): Promise<Map<string, ReplicationTarget>> {
  if (ids.length === 0) return new Map();
  const { data } = await store.entities.replicationTarget.get(ids.map((targetId) => ({ targetId }))).go({ concurrency: 1 });
  return new Map(data.map((item) => [item.targetId, item]));
}

/**
 * A transition's PutEvents entry. Its eventId is derived from the target, the transition and its time,
 * so republishing it (after a crash between write and publish) is deduplicated downstream.
 */
function transitionEntry(transition: ReplicationTransition, target: ProtectedResource): PutEventsRequestEntry {
  const eventId = `replication:${target.id}:${transition.type}:${transition.at}`;
  const { detailType, detail } = replicationDetail(transition, target, { eventId });
  return replicationEntry(detailType, detail as never);
}

// Entries are kept in the item as JSON until published; Time travels as an ISO string.
const encodeOutbox = (entries: PutEventsRequestEntry[]) => JSON.stringify(entries);
const decodeOutbox = (text: string | undefined): PutEventsRequestEntry[] =>
  (text ? (JSON.parse(text) as (PutEventsRequestEntry & { Time?: string })[]) : []).map((e) => ({ ...e, ...(e.Time ? { Time: new Date(e.Time) } : {}) }));

/** Whether a step changed anything worth a write: the evidence, the status, or a transition. */
function worthWriting(before: ReplicationState, step: TargetStep, stored: boolean): boolean {
  if (!stored || step.transitions.length > 0 || before.status !== step.state.status) return true;
  // Time moving on (clock, the observed RPO derived from it) is recomputed on every read.
  const strip = ({ clock: _c, observedRpoMinutes: _o, lastSource: _l, ...rest }: ReplicationState) => JSON.stringify(rest);
  return strip(before) !== strip(step.state);
}

/**
 * Advances each target with `step` and persists it with a conditional write on its version; only after
 * the write succeeded are the step's transitions published. The entries ride in the item's `outbox`
 * until they are published and cleared, so a crash in between republishes them (same eventIds) on the
 * target's next invocation instead of losing them. A target that lost a race is reloaded and stepped again.
 *
 * @param store - the bound store
 * @param targets - the targets to advance
 * @param step - pure: the next state of a target from its current one
 * @param publish - sends entries to the ops bus (throws when any still failed)
 * @returns the transitions published
 */
export async function advanceTargets(
  store: Store,
  targets: readonly ProtectedResource[],
  step: (state: ReplicationState, target: ProtectedResource) => TargetStep,
  publish: (entries: PutEventsRequestEntry[]) => Promise<unknown>,
): Promise<ReplicationTransition[]> {
  const published: ReplicationTransition[] = [];
  let pending = [...targets];
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > ATTEMPTS) {
      throw new ReplicationContentionError(`replication targets still written concurrently after ${ATTEMPTS} attempts: ${pending.map((t) => t.id).join(", ")}`);
    }
    const items = await loadTargets(store, pending.map((t) => t.id));
    const lost: ProtectedResource[] = [];
    for (const target of pending) {
      let item = items.get(target.id);
      try {
        if (item?.outbox !== undefined && item.outbox !== "[]") item = await flushOutbox(store, item, publish);
        const before = storedState(item, target.id);
        const next = step(before, target);
        if (!worthWriting(before, next, item !== undefined)) continue;
        const entries = next.transitions.map((t) => transitionEntry(t, target));
        const written = await write(store, target, item, next.state, entries);
        if (entries.length > 0) {
          await flushOutbox(store, written, publish);
          published.push(...next.transitions);
        }
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        lost.push(target);
      }
    }
    pending = lost;
  }
  return published;
}

/** Publishes an item's outbox, then clears it (conditional on the version, like every write). */
async function flushOutbox(store: Store, item: ReplicationTarget, publish: (entries: PutEventsRequestEntry[]) => Promise<unknown>): Promise<ReplicationTarget> {
  await publish(decodeOutbox(item.outbox));
  return updateReplicationTarget(store, item.targetId, item.version, { outbox: "[]", updatedAt: new Date().toISOString() });
}

function write(store: Store, target: ProtectedResource, item: ReplicationTarget | undefined, state: ReplicationState, entries: PutEventsRequestEntry[]) {
  const fields = {
    kind: target.kind,
    resource: target.resource,
    status: state.status,
    rpoMinutes: target.rpoMinutes,
    ...(state.observedRpoMinutes === null ? {} : { observedRpoMinutes: state.observedRpoMinutes }),
    ...(state.lastSignalAt === null ? {} : { lastSignalAt: new Date(state.lastSignalAt).toISOString() }),
    state: JSON.stringify(state),
    outbox: encodeOutbox(entries),
    updatedAt: new Date().toISOString(),
  };
  return item === undefined
    ? createReplicationTarget(store, { targetId: target.id, ...fields })
    : updateReplicationTarget(store, target.id, item.version, fields);
}
