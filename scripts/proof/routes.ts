/** The API routes the proof drives. */
export const EVENTS = "/api/v1/erp/updates/events";
export const SIMULATION = "/api/v1/erp/updates/mapping_simulation";
export const dryRun = (slug: string) => `/api/v1/use-cases/${slug}/dry-run`;
export const OPENAPI = "/api/v1/openapi.json";
