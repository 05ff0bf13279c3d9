import type { ReactNode } from "react";

/**
 * An inline status line: `error` is announced at once (role="alert"), `success` and `info`
 * politely (role="status").
 */
export function StatusMessage({
  tone,
  children,
}: {
  tone: "error" | "success" | "info";
  children: ReactNode;
}) {
  const styles = {
    error: "border-red-200 bg-red-50 text-red-800",
    success: "border-green-200 bg-green-50 text-green-800",
    info: "border-line bg-stone-50 text-muted",
  }[tone];
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={`rounded-md border px-3 py-2 text-sm leading-relaxed ${styles}`}
    >
      {children}
    </div>
  );
}
