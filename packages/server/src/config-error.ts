/** A setting Canon cannot start with; its message is one line that names the setting and what to use instead. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}
