"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, useState } from "react";

const LINE_HEIGHT = 20;

/**
 * A read-only view of an event's payload, fetched on its own and drawn line by line with only the
 * visible lines in the DOM: a payload of 100k readings (millions of lines) scrolls without
 * freezing the page.
 */
export function PayloadViewer({ eventId, bytes }: { eventId: string; bytes: number | null }) {
  const [state, setState] = useState<
    | { status: "loading" }
    | { status: "error"; message: string }
    | { status: "done"; lines: string[] }
  >({ status: "loading" });
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    fetch(`/imports/${eventId}/payload`)
      .then(async (response) => {
        if (!response.ok)
          throw new Error(`The payload could not be loaded (HTTP ${response.status})`);
        const text = await response.text();
        if (live) setState({ status: "done", lines: text.split("\n") });
      })
      .catch((error: unknown) => {
        if (live)
          setState({
            status: "error",
            message: error instanceof Error ? error.message : String(error),
          });
      });
    return () => {
      live = false;
    };
  }, [eventId]);

  const lines = state.status === "done" ? state.lines : [];
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 30,
  });

  if (state.status === "loading")
    return (
      <p role="status" className="text-sm text-muted">
        Loading the payload{bytes ? ` (request of ${(bytes / 1024).toFixed(0)} KB)` : ""}…
      </p>
    );
  if (state.status === "error")
    return (
      <p role="alert" className="text-sm text-red-700">
        {state.message}
      </p>
    );
  const gutter = String(lines.length).length;
  return (
    <div>
      <p className="mb-2 text-xs text-muted">{lines.length.toLocaleString("en-GB")} lines</p>
      <section
        ref={scrollRef}
        aria-label="Payload"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard
        tabIndex={0}
        data-testid="payload-viewer"
        className="max-h-[28rem] overflow-auto rounded-lg border border-line bg-stone-50 font-mono text-[12.5px]"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative", minWidth: "100%" }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.key}
              className="absolute left-0 flex whitespace-pre"
              style={{ top: item.start, height: LINE_HEIGHT, lineHeight: `${LINE_HEIGHT}px` }}
            >
              <span
                className="sticky left-0 inline-block shrink-0 bg-stone-100 pr-2 pl-2 text-right text-stone-400 select-none"
                style={{ width: `${gutter + 2}ch` }}
              >
                {item.index + 1}
              </span>
              <span className="pr-4 pl-3">{lines[item.index]}</span>
            </div>
          ))}
        </div>
      </section>
    </div>
  );
}
