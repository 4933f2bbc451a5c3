import { compilePattern } from "../eventbridge/pattern";
import type { Policy, RemediationConfig } from "./config";

/** A policy with its `on` pattern compiled once. */
export interface CompiledPolicy {
  policy: Policy;
  matches: (event: unknown) => boolean;
}

/** Compiles every policy's `on` pattern (already validated by the config schema). */
export function compilePolicies(config: RemediationConfig): CompiledPolicy[] {
  return config.policies.map((policy) => ({ policy, matches: compilePattern(policy.on) }));
}

/** The policies whose `on` pattern matches an event, in file order. */
export function policiesFor(compiled: readonly CompiledPolicy[], event: unknown): Policy[] {
  return compiled.filter((c) => c.matches(event)).map((c) => c.policy);
}
