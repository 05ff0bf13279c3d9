import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Meter Mapping Studio",
  description:
    "Mapping configurations that turn ERP meter-reading payloads into validated, deduplicated meter readings.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="border-b border-line bg-panel">
          <div className="mx-auto flex max-w-5xl items-center justify-between px-6 py-4">
            <div className="flex items-center gap-3">
              <span
                aria-hidden="true"
                className="grid size-8 place-items-center rounded-md bg-accent font-mono text-sm font-semibold text-white"
              >
                M
              </span>
              <span className="text-base font-semibold tracking-tight">Meter Mapping Studio</span>
            </div>
            <span className="shrink-0 rounded-full border border-line px-3 py-1 text-xs font-medium text-muted">
              Early preview
            </span>
          </div>
        </header>
        {children}
      </body>
    </html>
  );
}
