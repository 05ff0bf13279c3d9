"use client";

import { startTransition, useCallback, useEffect, useRef, useState } from "react";
import type { PreviewOutcome } from "@/lib/server/studio/studio-preview-service";
import type { UseCaseRef } from "@/lib/server/studio/studio-use-case-service";
import { previewAction } from "./actions";

export interface LivePreview {
  outcome: PreviewOutcome | null;
  /** A newer input than the shown outcome is waiting or being computed. */
  pending: boolean;
  error: string | null;
  /** Computes again for the same input (the stored state changed). */
  refresh: () => void;
}

interface Input {
  configText: string;
  payloadText: string;
  format: "json" | "xml";
  generation: number;
}

/**
 * The preview follows the editors: a dry run ~400 ms after typing stops. Server actions run one
 * at a time per page and cannot be aborted, so at most one request is in flight; edits made
 * meanwhile coalesce into one follow-up with the newest input, and a response for an input that
 * is no longer current is dropped (the last good plan stays on screen, dimmed, until then).
 */
export function useLivePreview(
  ref: UseCaseRef,
  configText: string,
  payloadText: string | null,
  format: "json" | "xml" = "json",
  delay = 400,
): LivePreview {
  const [outcome, setOutcome] = useState<PreviewOutcome | null>(null);
  const [pending, setPending] = useState(payloadText !== null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef<Input | null>(null);
  const inFlight = useRef(false);
  const again = useRef(false);
  const refRef = useRef(ref);
  refRef.current = ref;

  const run = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const input = latest.current;
    if (!input) return;
    inFlight.current = true;
    try {
      const result = await previewAction({
        ...refRef.current,
        configText: input.configText,
        payloadText: input.payloadText,
        format: input.format,
      });
      if (latest.current !== input) return; // stale: a newer input is on its way
      startTransition(() => {
        if (result.ok) {
          setOutcome(result.data);
          setError(null);
        } else setError(result.message);
        setPending(false);
      });
    } catch {
      if (latest.current === input) {
        setError("the server did not answer; it retries on the next change");
        setPending(false);
      }
    } finally {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        void run();
      }
    }
  }, []);

  useEffect(() => {
    if (payloadText === null) {
      latest.current = null;
      setPending(false);
      return;
    }
    latest.current = { configText, payloadText, format, generation };
    setPending(true);
    const timer = setTimeout(run, delay);
    return () => clearTimeout(timer);
  }, [configText, payloadText, format, generation, delay, run]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return { outcome, pending, error, refresh };
}
