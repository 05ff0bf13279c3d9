/** What every proof database holds before its server starts, and the keys to reach it. */
export interface World {
  integrationId: string;
  apiKey: string;
  /** A key of the integration, revoked through the studio's service before the server starts. */
  revokedKey: string;
  otherIntegrationId: string;
  /** The key of another integration, which has a use case of its own (`other`). */
  otherKey: string;
  /** A consultant's account, with the one-time password it was created with. */
  account: { email: string; oneTimePassword: string };
}

/** The published use case (READINGS_CONFIG) and its event name. */
export const SLUG = "readings";
export const EVENT_NAME = "ProofReadings";
/** A use case of the integration that was never published. */
export const UNPUBLISHED_SLUG = "draft-only";
/** The other integration's use case (never reachable with the first one's key). */
export const OTHER_SLUG = "other";

/** Meters of the concurrency scenarios: `RACE-<scenario>-1` to `-5` (`-NEW` is made by the posts). */
export const RACE_SCENARIOS = ["single", "pair"] as const;
export const raceMeters = (scenario: string) => [1, 2, 3, 4, 5].map((i) => `RACE-${scenario}-${i}`);
/** Stored readings per race meter before the posts: S-0 to S-9, on days 0-9. */
export const RACE_STORED = 10;

export const FAULT_METERS = Array.from({ length: 100 }, (_, i) => `FAULT-${i}`);
export const LOAD_METERS = Array.from({ length: 200 }, (_, i) => `LOAD-${i}`);

/** Day `d` of the proof's calendar (from 2023-01-01), 10:00 UTC. */
export const dayStamp = (d: number) => new Date(Date.UTC(2023, 0, 1, 10) + d * 864e5).toISOString();
