import { deniesRootUser, flatten, toArray } from '../../private/cfn-inspect';

/** An organizational unit and the id of its parent (the root id or another OU id). */
export interface OuNode {
  readonly ouId: string;
  readonly parentId: string;
}

/**
 * LZ-SCP1, judged over the whole app rather than one resource (an OU without the SCP has no resource to look at):
 * every OU must be covered by an `AWS::Organizations::Policy` of type `SERVICE_CONTROL_POLICY` that denies the
 * root user (`deniesRootUser`) and whose `TargetIds` contain the OU, one of its ancestors or the root.
 * Returns one finding per uncovered OU, `OU::<ou id>`, in the given order.
 */
export function ousWithoutRootDenyScp(policies: Array<Record<string, any>>, rootId: string, ous: OuNode[]): string[] {
  const covered = new Set<string>();
  for (const props of policies) {
    if (props.Type !== 'SERVICE_CONTROL_POLICY' || !deniesRootUser(props.Content)) continue;
    for (const t of toArray(props.TargetIds)) {
      const id = flatten(t);
      if (id !== undefined) covered.add(id);
    }
  }
  const parents = new Map(ous.map((o) => [o.ouId, o.parentId]));
  const isCovered = (id: string | undefined, seen: Set<string>): boolean => {
    if (id === undefined || seen.has(id)) return false;
    if (covered.has(id) || id === rootId && covered.has(rootId)) return true;
    seen.add(id);
    return isCovered(parents.get(id), seen);
  };
  return ous.filter((o) => !isCovered(o.ouId, new Set())).map((o) => `OU::${o.ouId}`);
}
