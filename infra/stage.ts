/** True on the production stage, where data is retained and protected. */
export const isProduction = $app.stage === "production";
