"use client";

import dynamic from "next/dynamic";

// Scalar is a browser app (Vue inside): rendered on the client only, from its own chunk, so no
// other page pays for it.
export const LazyApiReference = dynamic(
  () => import("./api-reference").then((m) => m.ApiReference),
  {
    ssr: false,
    loading: () => (
      <p role="status" className="py-16 text-center text-sm text-muted">
        Loading the API reference…
      </p>
    ),
  },
);
