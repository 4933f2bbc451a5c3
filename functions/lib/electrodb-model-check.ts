/**
 * What ElectroDB's validations.js gets in Lambda bundles in place of `jsonschema` (infra/lambda-plugins.mjs
 * swaps it in; only bundles see this module). ElectroDB checks a model against its JSON Schema every
 * time an Entity is built, and twice more per entity when a Service joins it, to tell a model from an
 * Entity instance. Vigil's models are constants, checked with the real jsonschema by every test that
 * builds the store, so in a bundle that check only repeats a fixed answer at each cold start: about
 * three quarters of building the store, plus 30 KB and the scan of ElectroDB's schemas at load.
 *
 * The one answer that varies is kept: an ElectroDB Entity or Service carries `_instance`, which no model
 * has, so it is reported as not a model, as the real check reports it.
 */
export class Validator {
  /** Accepted and ignored: the schemas are never checked against. */
  addSchema(): void {}

  /** No errors for a model; one error for an ElectroDB instance (see the module's header). */
  validate(instance: unknown): { errors: ModelError[] } {
    const isElectroInstance = typeof instance === "object" && instance !== null && "_instance" in instance;
    return { errors: isElectroInstance ? [{ property: "instance", argument: "model", message: "is an ElectroDB instance, not a model" }] : [] };
  }
}

/** The fields ElectroDB reads from a validation error when it formats one. */
export interface ModelError {
  property: string;
  argument: string;
  message: string;
}

export interface Validator {
  /** ElectroDB registers its formats on the prototype at load (`Validator.prototype.customFormats.isFunction = …`). */
  customFormats: Record<string, (input: unknown) => boolean>;
}
Validator.prototype.customFormats = {};
