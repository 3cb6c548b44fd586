/**
 * A jump-account principal in an elevated-access rule: a group or a user of the `JumpAccount`, by its IAM name.
 * The workflow reads group memberships from IAM when a request is validated and again just before the grant.
 *
 * Obtained from the static factories only: the constructor is private, so no language can subclass it.
 */
export class JumpPrincipal {
  /** A group of the jump account, by group name. */
  public static group(groupName: string): JumpPrincipal {
    return new JumpPrincipal('GROUP', groupName);
  }

  /** A user of the jump account, by user name. */
  public static user(userName: string): JumpPrincipal {
    return new JumpPrincipal('USER', userName);
  }

  /** @internal `GROUP` or `USER` */
  public readonly _type: 'GROUP' | 'USER';

  /** The IAM group or user name. */
  public readonly name: string;

  private constructor(type: 'GROUP' | 'USER', name: string) {
    this._type = type;
    this.name = name;
  }

  /** A short text for messages, e.g. `jump group 'vendor-acme'`. */
  public describe(): string {
    return `jump ${this._type.toLowerCase()} '${this.name}'`;
  }
}
