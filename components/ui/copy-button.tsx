"use client";

import { useEffect, useState } from "react";
import { Button, type ButtonSize } from "./button";

/**
 * Copies `value` to the clipboard. Outside a secure context (plain http on a LAN address) the
 * Clipboard API does not exist; then the text is copied through a selected textarea instead.
 */
export function CopyButton({
  value,
  label = "Copy",
  size = "md",
}: {
  value: string;
  label?: string;
  size?: ButtonSize;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(value);
      } else if (!copyWithSelection(value)) {
        throw new Error("copy command refused");
      }
      setState("copied");
    } catch {
      setState("failed");
    }
  }

  return (
    <>
      <Button onClick={copy} size={size} variant="secondary">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}
      </Button>
      <span className="sr-only" aria-live="polite">
        {state === "copied" ? "Copied to the clipboard" : ""}
        {state === "failed" ? "Could not copy; select the text and copy it yourself" : ""}
      </span>
    </>
  );
}

function copyWithSelection(value: string): boolean {
  const area = document.createElement("textarea");
  area.value = value;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  try {
    return document.execCommand("copy");
  } finally {
    area.remove();
  }
}
