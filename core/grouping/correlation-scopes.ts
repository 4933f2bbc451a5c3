import { parseArn } from "./arn";
// Types only: topology-index.ts builds the scopes while indexing, so this module must not import it at run time.
import type { Topology } from "./topology-index";
import type { TopologyData } from "./topology-schema";

/**
 * Which correlation scope (one grouping state, one stored item) each account's alerts go to. Accounts the
 * topology links share one scope, so an incident spanning them (a database in one account failing its
 * callers in another) is one incident; an account linked to no other, or unknown to the topology, is a
 * scope of its own.
 */
export interface CorrelationScopes {
  /** The scope of an account's alerts: `group#<smallest member>` for a linked account, else `acct#<account>`. */
  scopeOf(account: string): string;
  /** Every scope of two or more accounts: scope id → its member accounts, sorted. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
}

/** The scope of an account no topology link ties to another: its own. */
export function accountScope(account: string): string {
  return `acct#${account}`;
}

/** One scope per account whatever the topology says: what the grouper did before accounts correlated (bench `--per-account`). */
export const perAccountScopes: CorrelationScopes = { scopeOf: accountScope, groups: new Map() };

/** Union-find over account ids, smallest id as the representative so a group's id is its smallest member. */
class AccountSets {
  private readonly parent = new Map<string, string>();

  add(account: string | undefined): void {
    if (account !== undefined && account !== "" && !this.parent.has(account)) this.parent.set(account, account);
  }

  find(account: string): string {
    let root = account;
    while (this.parent.get(root) !== root) root = this.parent.get(root) ?? root;
    // Path compression: every account on the way points at the root.
    for (let at = account; at !== root; ) {
      const next = this.parent.get(at) ?? root;
      this.parent.set(at, root);
      at = next;
    }
    return root;
  }

  link(a: string | undefined, b: string | undefined): void {
    if (a === undefined || b === undefined || a === "" || b === "" || a === b) return;
    this.add(a);
    this.add(b);
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra === rb) return;
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }

  members(): Map<string, string[]> {
    const byRoot = new Map<string, string[]>();
    for (const account of this.parent.keys()) {
      const root = this.find(account);
      byRoot.set(root, [...(byRoot.get(root) ?? []), account]);
    }
    return byRoot;
  }
}

/**
 * The correlation scopes of a topology. Two accounts are linked when the topology ties them:
 * a service depends on a service of another account (`dependsOn`, or a `calls`/`publishes`/`uses` edge,
 * resolved to the owning service as correlation resolves it); an edge names a resource of another account
 * (its topology entry's `account`, or the account in its ARN); or a service owns a resource or alarm in
 * another account. Linked accounts, transitively, form one group whose id is `group#` + its smallest
 * account id: it depends on the group's members only, so accounts added elsewhere never change it, and
 * a new member changes it only when it sorts first. Every other account (one the topology lists but
 * links to none, or one it does not know) is its own scope, `acct#<account>`, as before groups existed.
 *
 * @param data - the topology as `TopologySchema` outputs it
 * @param index - its index (`indexTopology`), for dependencies resolved through edges and owners
 */
export function correlationScopes(data: TopologyData, index: Pick<Topology, "dependenciesOf" | "resource" | "service">): CorrelationScopes {
  const sets = new AccountSets();
  const serviceAccount = new Map<string, string>();
  for (const s of data.services) if (s.account !== undefined && s.account !== "") serviceAccount.set(s.name, s.account);
  const accountOfService = (name: string | undefined) => {
    const canonical = name === undefined ? undefined : index.service(name)?.name;
    return canonical === undefined ? undefined : serviceAccount.get(canonical);
  };
  const accountOfRef = (ref: string) => accountOfService(ref) ?? index.resource(ref)?.account ?? (parseArn(ref)?.account || undefined);

  for (const s of data.services) {
    for (const dependency of index.dependenciesOf(s.name)) sets.link(s.account, accountOfService(dependency));
  }
  for (const edge of data.edges) sets.link(accountOfRef(edge.from), accountOfRef(edge.to));
  for (const owned of [...data.resources, ...data.alarms]) sets.link(owned.account, accountOfService(owned.service));

  const scopeByAccount = new Map<string, string>();
  const groups = new Map<string, readonly string[]>();
  for (const [root, members] of sets.members()) {
    if (members.length < 2) continue;
    const id = `group#${root}`;
    groups.set(id, [...members].sort());
    for (const account of members) scopeByAccount.set(account, id);
  }
  return { scopeOf: (account) => scopeByAccount.get(account) ?? accountScope(account), groups };
}

/**
 * The scope of every account the topology names (its accounts, and the owners of its services, resources and alarms):
 * where a reader of a deployed table looks besides the scopes its incidents and deadlines name, so an account that
 * only ever held back noise is read without a Scan.
 *
 * @param data - the topology as `TopologySchema` outputs it
 * @param scopes - its correlation scopes
 */
export function namedScopes(data: TopologyData, scopes: CorrelationScopes): string[] {
  const accounts = [...data.accounts.map((a) => a.id), ...[...data.services, ...data.resources, ...data.alarms].flatMap((x) => (x.account ? [x.account] : []))];
  return [...new Set(accounts.map((account) => scopes.scopeOf(account)))].sort();
}
