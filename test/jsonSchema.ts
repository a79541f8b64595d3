/**
 * A JSON Schema (2020-12) validator for the subset our test schemas use: type, required,
 * properties, additionalProperties, items, enum, pattern, format (uuid, date-time, uri), minimum,
 * maxLength, and local $ref into $defs. A keyword outside that subset throws rather than being
 * skipped, so a schema can never pass a document by asking for something this does not check.
 */

export type Schema = { [keyword: string]: unknown };

/** Keywords that only annotate: they never fail a document. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', '$defs', 'title', 'description', 'default', 'examples']);

const FORMATS: Record<string, (s: string) => boolean> = {
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  'date-time': isDateTime,
  uri: (s) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s),
};

/** RFC 3339 date-time: the layout, and fields within their ranges (a 29 February only in a leap year). */
function isDateTime(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  const offsetOk = m[7] === undefined || (Number(m[7]) < 24 && Number(m[8]) < 60);
  return days !== undefined && day >= 1 && day <= days && hour < 24 && minute < 60 && second <= 60 && offsetOk;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function hasType(v: unknown, type: string): boolean {
  const actual = typeOf(v);
  return actual === type || (type === 'number' && actual === 'integer');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeOf(v) === 'object';
}

/** Validates `doc` against `schema` (whose own `$defs` the `$ref`s point into). Returns the errors, each `<json pointer>: <what>`; none means valid. */
export function validate(schema: Schema, doc: unknown): string[] {
  const errors: string[] = [];
  check(schema, schema, doc, '', errors);
  return errors;
}

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}: only local references are`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : undefined;
  }
  if (!isObject(node)) throw new Error(`$ref ${ref} points at nothing`);
  return node;
}

function check(root: Schema, schema: Schema, v: unknown, at: string, errors: string[]): void {
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case '$ref':
        check(root, resolve(root, String(arg)), v, at, errors);
        break;
      case 'type': {
        const types = Array.isArray(arg) ? arg.map(String) : [String(arg)];
        if (!types.some((t) => hasType(v, t))) errors.push(`${at || '/'}: is ${typeOf(v)}, not ${types.join(' or ')}`);
        break;
      }
      case 'required':
        if (isObject(v)) for (const key of arg as string[]) if (!Object.hasOwn(v, key)) errors.push(`${at || '/'}: "${key}" is required`);
        break;
      case 'properties':
        if (isObject(v)) {
          for (const [key, sub] of Object.entries(arg as Record<string, Schema>)) {
            if (Object.hasOwn(v, key)) check(root, sub, v[key], `${at}/${key}`, errors);
          }
        }
        break;
      case 'additionalProperties':
        if (isObject(v)) {
          const known = isObject(schema.properties) ? schema.properties : {};
          for (const key of Object.keys(v)) {
            if (Object.hasOwn(known, key)) continue;
            if (arg === false) errors.push(`${at || '/'}: "${key}" is not allowed`);
            else if (isObject(arg)) check(root, arg, v[key], `${at}/${key}`, errors);
          }
        }
        break;
      case 'items':
        if (Array.isArray(v)) v.forEach((item, i) => check(root, arg as Schema, item, `${at}/${i}`, errors));
        break;
      case 'enum':
        if (!(arg as unknown[]).some((e) => e === v)) errors.push(`${at || '/'}: ${JSON.stringify(v)} is not one of ${JSON.stringify(arg)}`);
        break;
      case 'pattern':
        if (typeof v === 'string' && !new RegExp(String(arg), 'u').test(v)) errors.push(`${at || '/'}: ${JSON.stringify(v)} does not match ${String(arg)}`);
        break;
      case 'format': {
        const test = FORMATS[String(arg)];
        if (!test) throw new Error(`unsupported format ${String(arg)}`);
        if (typeof v === 'string' && !test(v)) errors.push(`${at || '/'}: ${JSON.stringify(v)} is not a ${String(arg)}`);
        break;
      }
      case 'minimum':
        if (typeof v === 'number' && v < Number(arg)) errors.push(`${at || '/'}: ${v} is less than ${String(arg)}`);
        break;
      case 'maxLength':
        // Length in code points, as JSON Schema counts it.
        if (typeof v === 'string' && [...v].length > Number(arg)) errors.push(`${at || '/'}: longer than ${String(arg)} characters`);
        break;
      default:
        throw new Error(`unsupported keyword ${keyword} at ${at || '/'}`);
    }
  }
}
