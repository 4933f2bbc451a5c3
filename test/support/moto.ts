import { motoRuns, startMoto as start, type MotoHandle } from "../../local/moto";

// The tests start moto_server exactly as the demo does: one implementation, in local/.
export { MOTO_MISSING, type MotoHandle } from "../../local/moto";

/** Whether `moto_server` runs; integration tests skip with {@link MOTO_MISSING} when not. Probed once per test file. */
export const motoAvailable = motoRuns();

/**
 * Starts moto_server on a free loopback port.
 *
 * @returns the handle, or undefined when moto_server is not installed
 */
export async function startMoto(): Promise<MotoHandle | undefined> {
  return motoAvailable ? start() : undefined;
}
