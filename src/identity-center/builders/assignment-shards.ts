import * as fs from 'fs';
import { Aspects, NestedStack, Token } from 'aws-cdk-lib';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct } from 'constructs';
import { AccountDefinition } from '../../organization';
import { LIMITS } from '../../private/limits';
import type { IPermissionSet } from '../permission-set';
import type { IdentityCenterPrincipal } from '../principal';
import { PendingGroup, placeAppendOnly, shardName, shardOf } from '../sharding';

/** An assignment on its way to a shard. */
export interface ShardedAssignment {
  readonly id: string;
  readonly ps: IPermissionSet;
  readonly principal: IdentityCenterPrincipal;
  readonly account: AccountDefinition;
  readonly principalId: string;
}

/** The placement record: the shard of every assignment (by logical id), as `recordedIn` keeps it. */
interface PlacementRecord {
  readonly file: string;
  readonly shardOf: Map<string, string>;
  readonly text?: string;
}

/** How a catalog's assignments are sharded. */
export interface AssignmentShardsOptions {
  readonly instanceArn: string;
  /** The hashed shards (`assignmentShards`). */
  readonly shardCount: number;
  /** The placement record (`AssignmentPlacement.recordedIn`), if any. */
  readonly recordFile?: string;
  /** Reports a problem of the placement record (field `assignmentPlacement`). */
  readonly report: (message: string) => void;
  /** Called with every assignment resource as it is created (the catalog applies its acknowledgements). */
  readonly onCreated: (a: ShardedAssignment, resource: sso.CfnAssignment) => void;
}

const RECORD_NOTE = 'Nested stack (shard) of each Identity Center assignment, by logical id; written by synth. Keep it with the app: a recorded assignment never moves.';

/**
 * The catalog's assignments spread over nested stacks (`Assignments00`, ...), created in the catalog's scope so
 * construct ids (and logical ids) do not change: by a stable hash of the account, or, with a placement record, where
 * the record says and, for new assignments, once every rule is known (an aspect, before the app's templates render).
 */
export class AssignmentShards {
  private readonly shards = new Map<string, NestedStack>();
  private readonly shardSizes = new Map<string, number>();
  private readonly shardRefs = new Map<string, Set<string>>();
  private readonly shardAssignments = new Map<string, ShardedAssignment[]>();
  private readonly record?: PlacementRecord;
  // with a record: every assignment in the order it was added, created once every rule is known
  private readonly arrivals: ShardedAssignment[] = [];

  constructor(private readonly scope: Construct, private readonly options: AssignmentShardsOptions) {
    if (options.recordFile !== undefined) {
      this.record = readPlacementRecord(options.recordFile, options.report);
      Aspects.of(scope).add({ visit: (node) => { if (node === scope) this.placePending(); } });
    }
  }

  /** Places an assignment: in its account's hashed shard, or (with a record) once every rule is known. */
  public add(a: ShardedAssignment): void {
    if (!this.record) {
      // all assignments of an account share its shard: adding an account touches one nested stack only
      this.addToShard(this.hashedShard(a.account), a);
      return;
    }
    this.arrivals.push(a);
  }

  /** The shards that hold too many assignments or need too many parameters. */
  public validate(): string[] {
    const out: string[] = [];
    for (const [shard, size] of this.shardSizes) {
      if (size > LIMITS.STACK_RESOURCES_SAFE) {
        out.push(this.record
          ? `assignmentPlacement: shard ${shard} holds ${size} assignments in ${this.record.file}, more than the ${LIMITS.STACK_RESOURCES_SAFE} allowed per stack; restore the record as synth wrote it`
          : `assignments: shard ${shard} would hold ${size} assignments, more than the ${LIMITS.STACK_RESOURCES_SAFE} allowed per stack; use assignmentPlacement: AssignmentPlacement.recordedIn('<file>') so new assignments go to added shards and none moves (raising assignmentShards moves assignments of a deployed catalog, which CloudFormation refuses)`);
      }
      const refs = this.shardRefs.get(shard)!.size;
      if (refs > LIMITS.STACK_PARAMETERS) {
        out.push(`assignmentShards: shard ${shard} needs ${refs} parameters (permission sets and resolved principals), more than the ${LIMITS.STACK_PARAMETERS} a stack takes; split the catalog`);
      }
    }
    return out;
  }

  private hashedShard(account: AccountDefinition): string {
    return shardName(shardOf(account.accountId, this.options.shardCount));
  }

  private addToShard(shard: string, a: ShardedAssignment): void {
    const shardCount = this.options.shardCount;
    let stack = this.shards.get(shard);
    if (!stack) {
      const n = Number(shard);
      stack = new NestedStack(this.scope, `Assignments${shard}`, {
        description: n < shardCount
          ? `Identity Center assignments, shard ${n + 1} of ${shardCount} (placement by hash of the assignment, stable)`
          : `Identity Center assignments, shard ${n + 1} (added when the first ${shardCount} were full; placement recorded, an assignment never moves)`,
      });
      this.shards.set(shard, stack);
      this.shardSizes.set(shard, 0);
      this.shardRefs.set(shard, new Set());
      this.shardAssignments.set(shard, []);
    }
    const { id, ps, principal, account, principalId } = a;
    const refs = this.shardRefs.get(shard)!;
    if (Token.isUnresolved(ps.permissionSetArn)) refs.add(`ps:${ps.permissionSetName}`);
    if (Token.isUnresolved(principalId)) refs.add(principal._key);
    const resource = new sso.CfnAssignment(stack, id, {
      instanceArn: this.options.instanceArn,
      permissionSetArn: ps.permissionSetArn,
      principalType: principal.kind,
      principalId,
      targetType: 'AWS_ACCOUNT',
      targetId: account.accountId,
    });
    this.shardSizes.set(shard, this.shardSizes.get(shard)! + 1);
    this.shardAssignments.get(shard)!.push(a);
    this.options.onCreated(a, resource);
  }

  // Recorded assignments stay in their shard. New ones join their account's shard, or its hashed one, while it has
  // room, else shards added after the last. Every assignment is then created in the order it was added, as hashed
  // placement does: the synth that writes the record, later ones and a switch from hashed placement render each
  // shard's template byte for byte alike. Then the record is rewritten when it changed.
  private placePending(): void {
    const record = this.record!;
    const loads = new Map<string, number>();
    const shardOfAccount = new Map<string, string>();
    const pending = new Map<string, ShardedAssignment[]>();
    for (const a of this.arrivals) {
      const recorded = record.shardOf.get(a.id);
      if (recorded === undefined) {
        const list = pending.get(a.account.accountId) ?? [];
        list.push(a);
        pending.set(a.account.accountId, list);
        continue;
      }
      loads.set(recorded, (loads.get(recorded) ?? 0) + 1);
      if (!shardOfAccount.has(a.account.accountId)) shardOfAccount.set(a.account.accountId, recorded);
    }
    const groups: PendingGroup[] = [...pending].map(([accountId, list]) => ({
      key: accountId,
      ids: list.map((a) => a.id),
      preferred: shardOfAccount.get(accountId) ?? this.hashedShard(list[0].account),
    }));
    // without a record yet this fills the hashed shards as hashed() does, so an existing catalog can switch
    const highest = Math.max(this.options.shardCount - 1, ...[...loads.keys()].map(Number));
    const where = placeAppendOnly(loads, groups, LIMITS.STACK_RESOURCES_SAFE, highest + 1);
    for (const a of this.arrivals) this.addToShard(record.shardOf.get(a.id) ?? where.get(a.id)!, a);
    this.arrivals.length = 0;
    const shards: Record<string, string[]> = {};
    for (const shard of [...this.shardAssignments.keys()].sort()) shards[shard] = this.shardAssignments.get(shard)!.map((a) => a.id).sort();
    const text = `${JSON.stringify({ version: 1, note: RECORD_NOTE, shards }, undefined, 1)}\n`;
    if (text !== record.text) fs.writeFileSync(record.file, text);
  }
}

function readPlacementRecord(file: string, report: (m: string) => void): PlacementRecord {
  const shardOfId = new Map<string, string>();
  if (!fs.existsSync(file)) return { file, shardOf: shardOfId };
  const text = fs.readFileSync(file, 'utf-8');
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    report(`placement record ${file} is not JSON (${(e as Error).message}); restore it from source control`);
    return { file, shardOf: shardOfId, text };
  }
  if (parsed?.version !== 1 || typeof parsed.shards !== 'object' || parsed.shards === null) {
    report(`placement record ${file} must be {"version": 1, "shards": {"00": ["<assignment logical id>", ...]}}; restore it from source control`);
    return { file, shardOf: shardOfId, text };
  }
  for (const [shard, ids] of Object.entries<unknown>(parsed.shards)) {
    if (!/^\d{2,4}$/.test(shard) || !Array.isArray(ids)) {
      report(`placement record ${file}: shard '${shard}' must be a number of two to four digits holding a list of logical ids`);
      continue;
    }
    for (const id of ids) {
      const other = shardOfId.get(String(id));
      if (other !== undefined && other !== shard) report(`placement record ${file}: assignment '${id}' is in shards ${other} and ${shard}; keep the one it is deployed in`);
      shardOfId.set(String(id), shard);
    }
  }
  return { file, shardOf: shardOfId, text };
}
