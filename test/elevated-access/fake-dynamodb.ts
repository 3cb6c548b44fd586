// An in-memory DynamoDB for the document client, enough of the expression language for the workflow's handlers:
// SET / ADD / DELETE / REMOVE updates and conditions with =, <>, >=, IN, attribute_(not_)exists, contains, size, AND,
// NOT. Conditions are evaluated atomically (JavaScript is single-threaded), like DynamoDB's conditional writes.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, any>;

export class ConditionalCheckFailed extends Error {
  constructor() {
    super('The conditional request failed');
    this.name = 'ConditionalCheckFailedException';
  }
}

const KEYS: Record<string, string[]> = {};

export class FakeDynamoDb {
  public readonly tables = new Map<string, Map<string, Item>>();

  /** Declares a table and its key attributes. */
  public table(tableName: string, keys: string[]): Map<string, Item> {
    KEYS[tableName] = keys;
    if (!this.tables.has(tableName)) this.tables.set(tableName, new Map());
    return this.tables.get(tableName)!;
  }

  public items(tableName: string): Item[] {
    return [...(this.tables.get(tableName)?.values() ?? [])].map(clone);
  }

  public get(tableName: string, key: Item): Item | undefined {
    const it = this.tables.get(tableName)?.get(this.keyOf(tableName, key));
    return it ? clone(it) : undefined;
  }

  private keyOf(table: string, key: Item): string {
    return (KEYS[table] ?? Object.keys(key)).map((k) => String(key[k])).join('|');
  }

  /** Handles one document-client command. */
  public send(command: any): any {
    const input = command.input;
    const table = this.table(input.TableName, KEYS[input.TableName] ?? Object.keys(input.Key ?? {}));
    if (command instanceof GetCommand) {
      const it = table.get(this.keyOf(input.TableName, input.Key));
      return { Item: it ? clone(it) : undefined };
    }
    if (command instanceof PutCommand) {
      const k = this.keyOf(input.TableName, input.Item);
      const old = table.get(k);
      if (input.ConditionExpression && !evaluate(input.ConditionExpression, old, input)) throw new ConditionalCheckFailed();
      table.set(k, clone(input.Item));
      return {};
    }
    if (command instanceof DeleteCommand) {
      table.delete(this.keyOf(input.TableName, input.Key));
      return {};
    }
    if (command instanceof UpdateCommand) {
      const k = this.keyOf(input.TableName, input.Key);
      const old = table.get(k);
      if (input.ConditionExpression && !evaluate(input.ConditionExpression, old, input)) throw new ConditionalCheckFailed();
      const next = applyUpdate(input.UpdateExpression, old ? clone(old) : { ...input.Key }, input);
      table.set(k, next);
      const rv = input.ReturnValues;
      return { Attributes: rv === 'ALL_OLD' ? (old ? clone(old) : undefined) : rv === 'ALL_NEW' ? clone(next) : undefined };
    }
    if (command instanceof QueryCommand) {
      const m = /^(#?\w+) = (:\w+)$/.exec(input.KeyConditionExpression);
      if (!m) throw new Error(`unsupported key condition ${input.KeyConditionExpression}`);
      const attr = attrName(m[1], input);
      const v = input.ExpressionAttributeValues[m[2]];
      return { Items: [...table.values()].filter((i) => i[attr] === v).map(clone) };
    }
    if (command instanceof ScanCommand) {
      return { Items: [...table.values()].map(clone) };
    }
    throw new Error(`unsupported command ${command.constructor.name}`);
  }
}

function clone(item: Item): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) out[k] = v instanceof Set ? new Set(v) : JSON.parse(JSON.stringify(v ?? null)) ?? v;
  return out;
}

function attrName(token: string, input: any): string {
  return token.startsWith('#') ? input.ExpressionAttributeNames[token] : token;
}

function value(token: string, input: any): any {
  return input.ExpressionAttributeValues[token];
}

function splitTop(expr: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth === 0 && expr.startsWith(sep, i)) {
      parts.push(cur.trim());
      cur = '';
      i += sep.length - 1;
      continue;
    }
    cur += c;
  }
  parts.push(cur.trim());
  return parts;
}

export function evaluate(expr: string, item: Item | undefined, input: any): boolean {
  const it = item ?? {};
  return splitTop(expr, ' AND ').every((clause) => {
    let m: RegExpExecArray | null;
    if ((m = /^NOT (.+)$/.exec(clause))) return !evaluate(m[1], item, input);
    if ((m = /^\((.+)\)$/.exec(clause))) return splitTop(m[1], ' OR ').some((c) => evaluate(c, item, input));
    if ((m = /^attribute_not_exists\((#?\w+)\)$/.exec(clause))) return it[attrName(m[1], input)] === undefined;
    if ((m = /^attribute_exists\((#?\w+)\)$/.exec(clause))) return it[attrName(m[1], input)] !== undefined;
    if ((m = /^contains\((#?\w+), (:\w+)\)$/.exec(clause))) {
      const a = it[attrName(m[1], input)];
      const v = value(m[2], input);
      return a instanceof Set ? a.has(v) : typeof a === 'string' ? a.includes(v) : Array.isArray(a) ? a.includes(v) : false;
    }
    if ((m = /^size\((#?\w+)\) >= (:\w+)$/.exec(clause))) {
      const a = it[attrName(m[1], input)];
      const size = a instanceof Set ? a.size : a?.length ?? 0;
      return size >= value(m[2], input);
    }
    if ((m = /^(#?\w+) IN \((.+)\)$/.exec(clause))) {
      const a = it[attrName(m[1], input)];
      return m[2].split(',').map((t) => value(t.trim(), input)).includes(a);
    }
    if ((m = /^(#?\w+) (=|<>) (:\w+)$/.exec(clause))) {
      const a = it[attrName(m[1], input)];
      const v = value(m[3], input);
      return m[2] === '=' ? a === v : a !== v;
    }
    throw new Error(`unsupported condition clause '${clause}'`);
  });
}

function applyUpdate(expr: string, item: Item, input: any): Item {
  const sections = expr.split(/\b(SET|ADD|DELETE|REMOVE)\b/).map((s) => s.trim()).filter((s) => s !== '');
  for (let i = 0; i < sections.length; i += 2) {
    const kind = sections[i];
    const body = sections[i + 1];
    for (const part of splitTop(body, ',')) {
      if (kind === 'SET') {
        const [l, r] = part.split('=').map((s) => s.trim());
        item[attrName(l, input)] = clone({ v: value(r, input) }).v;
      } else if (kind === 'REMOVE') {
        delete item[attrName(part.trim(), input)];
      } else {
        const [l, r] = part.split(/\s+/);
        const attr = attrName(l, input);
        const v = value(r, input);
        if (kind === 'ADD') {
          if (v instanceof Set) item[attr] = new Set([...(item[attr] ?? []), ...v]);
          else item[attr] = (item[attr] ?? 0) + v;
        } else {
          const s = new Set(item[attr] ?? []);
          for (const x of v) s.delete(x);
          if (s.size === 0) delete item[attr];
          else item[attr] = s;
        }
      }
    }
  }
  return item;
}
