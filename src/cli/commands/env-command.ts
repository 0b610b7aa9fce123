/**
 * A commander Command whose `.env()` options read the environment the program was built with
 * instead of `process.env`, so that the CLI runs in-process with a test's environment. An empty
 * variable counts as unset (`FOO= metaclear ...` clears a value instead of passing "").
 */
import type { EventEmitter } from 'node:events';
import { Command } from 'commander';
import type { Environment } from '../context.js';

export class EnvCommand extends Command {
  readonly #env: Environment;

  constructor(env: Environment, name?: string) {
    super(name);
    this.#env = env;
  }

  override createCommand(name?: string): EnvCommand {
    return new EnvCommand(this.#env, name);
  }

  /** Commander quotes a refused value in its message: an over-long one is shortened, not echoed back whole. */
  override error(message: string, errorOptions?: { code?: string; exitCode?: number }): never {
    const shortened = message.replace(
      /'([^']{80})[^']{40,}'/g,
      (whole, start: string) => `'${start}…' (${whole.length - 2} characters)`,
    );
    return super.error(shortened, errorOptions);
  }

  /**
   * Replaces commander's own step of the same name (commander 14, lib/command.js), which stops at
   * the first missing option: every missing one is reported at once, with its variable if it has one.
   */
  _checkForMissingMandatoryOptions(): void {
    const missing: string[] = [];
    let command: Command | null = this;
    const chain: Command[] = [];
    for (; command !== null; command = command.parent) chain.unshift(command);
    for (const cmd of chain) {
      for (const option of cmd.options) {
        if (option.mandatory && cmd.getOptionValue(option.attributeName()) === undefined) {
          missing.push(option.envVar === undefined ? option.flags : `${option.flags} (or ${option.envVar})`);
        }
      }
    }
    if (missing.length === 0) return;
    const what = missing.length === 1 ? 'required option' : 'required options';
    this.error(`error: ${what} not specified: ${missing.join(', ')}`, {
      code: 'commander.missingMandatoryOptionValue',
    });
  }

  /**
   * Replaces commander's own step of the same name (commander 14, lib/command.js), which reads
   * `process.env`: same precedence (a value from the command line wins), same events.
   */
  _parseOptionsEnv(): void {
    for (const option of this.options) {
      const value = option.envVar === undefined ? undefined : this.#env[option.envVar];
      if (value === undefined || value === '') continue;
      const key = option.attributeName();
      const source = this.getOptionValueSource(key);
      const overridable = source === undefined || source === 'default' || source === 'config' || source === 'env';
      if (this.getOptionValue(key) !== undefined && !overridable) continue;
      // A Command is an EventEmitter (the typings do not say so); options listen for these events.
      const events = this as unknown as EventEmitter;
      if (option.required || option.optional) events.emit(`optionEnv:${option.name()}`, value);
      else events.emit(`optionEnv:${option.name()}`);
    }
  }
}
