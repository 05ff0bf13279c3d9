import "server-only";
import { attributeKeys } from "../../../db/repository/entity-derived";

/** Attribute names that identify an entity (meter_number, customer_code, _id...), then names. */
const IDS = /(number|code|serial|(^|_)id)$/i;
const NAMES = /(email|phone|name)$/i;

/** How many attributes a label shows. */
const SHOWN = 3;

/** One attribute of a label: its name and the value(s) it is looked up by. */
export interface LabelPart {
  attribute: string;
  value: string;
}

/**
 * A readable name for an entity: the values of `keys` (the unique ids an import looked it up by)
 * when they are given and stored, else its first few scalar attributes, id-like names first.
 * Values are the ones its lookup keys hold (a repeatable email shows its address).
 */
export function entityLabel(
  attributes: Record<string, unknown>,
  keys: readonly string[] = [],
): LabelPart[] {
  const part = (attribute: string): LabelPart | null => {
    const values = attributeKeys(attributes[attribute]);
    return values.length > 0 ? { attribute, value: values.join(", ") } : null;
  };
  const named = keys.map(part).filter((p): p is LabelPart => p !== null);
  if (named.length > 0) return named;
  const candidates = Object.keys(attributes).filter((a) => part(a) !== null);
  const rank = (a: string) => (IDS.test(a) ? 0 : NAMES.test(a) ? 1 : 2);
  const ordered = candidates
    .map((a, i) => ({ a, i }))
    .sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i)
    .map((x) => x.a);
  return ordered.slice(0, SHOWN).map((a) => part(a) as LabelPart);
}

/** A label as one line: `meter_number M001, medium electricity`. */
export function labelText(parts: readonly LabelPart[], fallback: string): string {
  return parts.length > 0 ? parts.map((p) => `${p.attribute} ${p.value}`).join(", ") : fallback;
}
