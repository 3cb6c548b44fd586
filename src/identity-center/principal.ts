import { Token } from 'aws-cdk-lib';

/** Identity Center principal ids: a UUID, optionally prefixed by 10 hex digits and a dash. */
const PRINCIPAL_ID_PATTERN = /^([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;

/**
 * Who receives a permission set: an Identity Center group or user, by id or by the name the IdP gave it.
 * Names are resolved at deploy time through the identity store, once per name per stack.
 */
export abstract class IdentityCenterPrincipal {
  /** A group by its identity store id. */
  public static group(groupId: string): IdentityCenterPrincipal {
    return new ById('GROUP', groupId);
  }

  /** A user by its identity store id. */
  public static user(userId: string): IdentityCenterPrincipal {
    return new ById('USER', userId);
  }

  /** A group by its display name (e.g. the name synchronised from Entra ID), resolved with `identitystore:GetGroupId`. */
  public static groupNamed(displayName: string): IdentityCenterPrincipal {
    return new ByName('GROUP', displayName);
  }

  /** A user by its user name, resolved with `identitystore:GetUserId`. */
  public static userNamed(userName: string): IdentityCenterPrincipal {
    return new ByName('USER', userName);
  }

  /** `GROUP` or `USER`, as `AWS::SSO::Assignment` expects. */
  public abstract readonly principalType: string;

  /** @internal a stable key: same key = same principal */
  public abstract readonly _key: string;
  /** @internal the id when given literally */
  public abstract readonly _id?: string;
  /** @internal the name to resolve when given by name */
  public abstract readonly _name?: string;

  /** A short text for messages, e.g. `group 'Platform Admins'`. */
  public abstract describe(): string;

  /** @internal a problem with the value, or undefined */
  public abstract _validate(): string | undefined;
}

class ById extends IdentityCenterPrincipal {
  public readonly _key: string;
  public readonly _name = undefined;
  constructor(public readonly principalType: string, public readonly _id: string) {
    super();
    this._key = `${principalType}:id:${_id}`;
  }
  public describe(): string {
    return `${this.principalType.toLowerCase()} id '${this._id}'`;
  }
  public _validate(): string | undefined {
    if (Token.isUnresolved(this._id) || PRINCIPAL_ID_PATTERN.test(this._id)) return undefined;
    return `${this.principalType.toLowerCase()} id '${this._id}' must be an identity store id such as '906720aa1c-5d1e3b2f-...' (uuid, optionally prefixed by 10 hex digits)`;
  }
}

class ByName extends IdentityCenterPrincipal {
  public readonly _key: string;
  public readonly _id = undefined;
  constructor(public readonly principalType: string, public readonly _name: string) {
    super();
    this._key = `${principalType}:name:${_name}`;
  }
  public describe(): string {
    return `${this.principalType.toLowerCase()} '${this._name}'`;
  }
  public _validate(): string | undefined {
    if (Token.isUnresolved(this._name)) return undefined;
    // identity store attribute values: 1-1024 characters, no leading/trailing whitespace
    if (this._name.length < 1 || this._name.length > 1024 || this._name.trim() !== this._name) {
      return `${this.principalType === 'GROUP' ? 'group display name' : 'user name'} '${this._name}' must be 1-1024 characters without leading or trailing spaces`;
    }
    return undefined;
  }
}
