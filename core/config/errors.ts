/** A config file, or a section of one, that does not validate; names the file and the path of the first problem. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "config.invalid";
  constructor(
    readonly file: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${file}: ${path ? `${path}: ` : ""}${reason}`);
  }
}
