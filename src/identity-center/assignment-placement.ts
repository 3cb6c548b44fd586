/**
 * Where a permission set catalog puts its assignments (nested stacks of at most 450 resources).
 *
 * An assignment must never change its nested stack: CloudFormation would create it in the new stack before deleting
 * it from the old one, and the creation of an assignment that already exists fails, so the deployment rolls back.
 */
export class AssignmentPlacement {
  /**
   * Each account's assignments go to one of `assignmentShards` nested stacks, chosen by a stable hash of the account.
   * Adding or removing an account touches only its own shard. A shard that would pass 450 resources fails the synth
   * (raising `assignmentShards` would move assignments of a deployed catalog): record the placement instead.
   */
  public static hashed(): AssignmentPlacement {
    return new AssignmentPlacement(undefined);
  }

  /**
   * The placement of every assignment is recorded in a JSON file (keep it in source control with the app, like a lock
   * file). Recorded assignments stay in their nested stack; new ones go to their account's shard, or its hashed shard,
   * while it has room, else to added shards. Synth writes the file when the placement changes. Without the file the
   * placement starts as `hashed()` would place it, so an existing catalog can switch without moving anything.
   *
   * @param file path of the record, relative to the working directory of the synth (the CDK app's directory)
   */
  public static recordedIn(file: string): AssignmentPlacement {
    return new AssignmentPlacement(file);
  }

  /** @internal */
  public readonly _file?: string;

  private constructor(file: string | undefined) {
    this._file = file;
  }
}
