import type { z } from "zod";

/**
 * Renders an issue path the way people write it: `detail.findings[0].Severity.Label`.
 *
 * @param path - the issue's path segments
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out === "" ? "(root)" : out;
}

// For a union, the branch that got furthest into the input explains the failure best.
function deepestBranchIssue(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue | undefined {
  let best: z.core.$ZodIssue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first !== undefined && (best === undefined || first.path.length > best.path.length)) best = first;
  }
  return best;
}

/**
 * Describes the first issue of a failed parse as `path: problem`,
 * e.g. `detail.severity: expected number, received string`.
 *
 * @param error - the zod error of a failed `safeParse`
 * @param prefix - path segments to put in front (when the parsed value sits inside a larger one)
 */
export function describeFirstIssue(error: z.ZodError, prefix: readonly PropertyKey[] = []): string {
  let issue: z.core.$ZodIssue | undefined = error.issues[0];
  let path: PropertyKey[] = [...prefix];
  while (issue?.code === "invalid_union") {
    const inner = deepestBranchIssue(issue);
    if (inner === undefined) break;
    path = [...path, ...issue.path];
    issue = inner;
  }
  if (issue === undefined) return `${formatPath(prefix)}: invalid`;
  const message = issue.message.replace(/^Invalid input: /, "");
  return `${formatPath([...path, ...issue.path])}: ${message}`;
}
