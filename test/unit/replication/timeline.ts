import {
  applySignal,
  evaluate,
  initialState,
  type ProtectedResource,
  type ReplicationState,
  type ReplicationTransition,
  type Signal,
} from "../../../core/replication";
import { MIN } from "./factory";

/** One step of a timeline: a signal arriving at `receivedAt`, or a scheduled evaluation at `tick`. */
export type Step = { signal: Signal; receivedAt?: number } | { tick: number };

/** Runs a timeline through the model; returns the final state and every transition with its time. */
export function run(target: ProtectedResource, steps: readonly Step[], start: ReplicationState = initialState(target.id)) {
  let state = start;
  const transitions: ReplicationTransition[] = [];
  for (const step of steps) {
    const result =
      "tick" in step
        ? evaluate(state, target, step.tick)
        : applySignal(state, step.signal, target, step.receivedAt === undefined ? {} : { receivedAt: step.receivedAt });
    state = result.state;
    if (result.transition !== undefined) transitions.push(result.transition);
  }
  return { state, transitions };
}

/** Scheduled evaluations every `every` minutes from `from` to `to` (epoch ms bounds). */
export function ticks(from: number, to: number, every = 1): Step[] {
  const out: Step[] = [];
  for (let t = from; t <= to; t += every * MIN) out.push({ tick: t });
  return out;
}

/** Minutes between two epoch ms instants. */
export const minutesBetween = (a: number, b: number) => (b - a) / MIN;
