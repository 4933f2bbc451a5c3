/**
 * Stages whose data is retained and protected (`sst deploy --stage prod`). sst.config.ts's `app()`
 * repeats this list, since it runs before any import; the wiring test checks they agree.
 */
export const PRODUCTION_STAGES: readonly string[] = ["prod", "production"];

/** True on a production stage: the table keeps PITR and deletion protection, and `sst remove` retains data. */
export const isProduction = PRODUCTION_STAGES.includes($app.stage);
