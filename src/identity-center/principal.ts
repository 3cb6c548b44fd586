import { Token } from 'aws-cdk-lib';

/** Identity Center principal ids: a UUID, optionally prefixed by 10 hex digits and a dash. */
const PRINCIPAL_ID_PATTERN = /^([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;

/**
 * Whether an Identity Center principal is a group or a user (the `PrincipalType` of `AWS::SSO::Assignment`).
 */
export enum PrincipalKind {
  /** An Identity Center group. */
  GROUP = 'GROUP',
  /** An Identity Center user. */
  USER = 'USER',
}

/**
 * Who receives a permission set: an Identity Center group or user, by id or by the name the IdP gave it.
 * Names are resolved at deploy time through the identity store, once per name per stack.
 *
 * Obtained from the static factories only: the constructor is private, so no language can subclass it.
 */
export class IdentityCenterPrincipal {
  /** A group by its identity store id. */
  public static group(groupId: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(PrincipalKind.GROUP, groupId, undefined);
  }

  /** A user by its identity store id. */
  public static user(userId: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(PrincipalKind.USER, userId, undefined);
  }

  /** A group by its display name (e.g. the name synchronised from Entra ID), resolved with `identitystore:GetGroupId`. */
  public static groupNamed(displayName: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(PrincipalKind.GROUP, undefined, displayName);
  }

  /** A user by its user name, resolved with `identitystore:GetUserId`. */
  public static userNamed(userName: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(PrincipalKind.USER, undefined, userName);
  }

  /** Whether this is a group or a user. */
  public readonly kind: PrincipalKind;

  /**
   * `GROUP` or `USER`, as `AWS::SSO::Assignment` expects.
   *
   * @deprecated use `kind`, which is typed
   */
  public readonly principalType: string;

  /** @internal a stable key: same key = same principal */
  public readonly _key: string;
  /** @internal the id when given literally */
  public readonly _id?: string;
  /** @internal the name to resolve when given by name */
  public readonly _name?: string;

  /** Exactly one of `id` and `name` is set. */
  private constructor(kind: PrincipalKind, id: string | undefined, name: string | undefined) {
    this.kind = kind;
    this.principalType = kind;
    const principalType = kind;
    this._id = id;
    this._name = name;
    this._key = id !== undefined ? `${principalType}:id:${id}` : `${principalType}:name:${name}`;
  }

  /** A short text for messages, e.g. `group 'Platform Admins'`. */
  public describe(): string {
    const type = this.kind.toLowerCase();
    return this._id !== undefined ? `${type} id '${this._id}'` : `${type} '${this._name}'`;
  }

  /** @internal a problem with the value, or undefined */
  public _validate(): string | undefined {
    return this._id !== undefined ? this.validateId(this._id) : this.validateName(this._name!);
  }

  private validateId(id: string): string | undefined {
    if (Token.isUnresolved(id) || PRINCIPAL_ID_PATTERN.test(id)) return undefined;
    return `${this.kind.toLowerCase()} id '${id}' must be an identity store id such as '906720aa1c-5d1e3b2f-...' (uuid, optionally prefixed by 10 hex digits)`;
  }

  private validateName(name: string): string | undefined {
    if (Token.isUnresolved(name)) return undefined;
    // identity store attribute values: 1-1024 characters, no leading/trailing whitespace
    if (name.length < 1 || name.length > 1024 || name.trim() !== name) {
      return `${this.kind === PrincipalKind.GROUP ? 'group display name' : 'user name'} '${name}' must be 1-1024 characters without leading or trailing spaces`;
    }
    return undefined;
  }
}
