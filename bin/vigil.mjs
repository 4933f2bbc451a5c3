#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx vigil` works in a clone without a build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../local/cli.ts");
process.exitCode = await main(process.argv.slice(2));
