import { ACTION_STYLES } from "./action-badge";
import type { EntityKind } from "./entity-rows";

export const ENTITY_KIND_STYLES: Record<EntityKind, string> = {
  ...ACTION_STYLES,
  // A stub is a create nobody asked for by name: dashed, so it does not pass for one.
  stub: "border-dashed border-green-400 bg-white text-green-800",
  prune: "border-amber-300 bg-amber-100 text-amber-900",
};

export function EntityBadge({ kind }: { kind: EntityKind }) {
  return (
    <span
      className={`inline-flex items-center rounded-full border px-2 py-px text-xs font-medium ${ENTITY_KIND_STYLES[kind]}`}
    >
      {kind}
    </span>
  );
}
