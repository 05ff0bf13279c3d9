import { Badge, type BadgeTone } from "@/components/ui/badge";

const TONES: Record<string, BadgeTone> = {
  success: "success",
  applied: "success",
  error: "danger",
  failed: "danger",
  ignored: "warning",
  skipped: "neutral",
  processing: "accent",
  undone: "neutral",
};

/** An event's or import's status, coloured by how much support should care. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status] ?? "neutral"}>{status}</Badge>;
}
