import { parseArgs } from 'node:util';
import type { Io } from './main';

/** A command as its messages show it. */
export interface Command {
  /** What its messages start with: `kodkarta`, or `kodkarta export`. */
  name: string;
  /** Printed for --help, and after every message about a wrong command line. */
  usage: string;
  /** Printed for --version (-v), which only the top-level command has; it goes before --help. */
  version?: string;
}

/** The options a command takes besides --help (-h), which every command has. */
export type OptionSpecs = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

type OptionValue<Spec extends OptionSpecs[string]> = Spec['type'] extends 'string' ? string : boolean;

/** What the command line gave for each option; a list for an option that may be given several times. */
export type OptionValues<Specs extends OptionSpecs> = {
  [Name in keyof Specs]?: Specs[Name]['multiple'] extends true
    ? OptionValue<Specs[Name]>[]
    : OptionValue<Specs[Name]>;
};

export interface CommandLine<Specs extends OptionSpecs> {
  values: OptionValues<Specs>;
  positionals: string[];
}

/**
 * Reads a command's options and arguments with node:util's parseArgs. Answers --help itself (the usage on
 * stdout) and a command line it cannot read (an unknown option, an option without its value: the message
 * and the usage on stderr); then it returns the exit code, 0 or 2, instead of the options.
 */
export function parseCommandLine<Specs extends OptionSpecs>(
  argv: string[],
  io: Io,
  command: Command,
  options: Specs,
): CommandLine<Specs> | number {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...options,
        help: { type: 'boolean', short: 'h' },
        ...(command.version === undefined ? {} : { version: { type: 'boolean', short: 'v' } }),
      },
    });
  } catch (error) {
    return usageError(io, command, (error as Error).message);
  }
  if (parsed.values.version) {
    io.out(`${command.version}\n`);
    return 0;
  }
  if (parsed.values.help) {
    io.out(command.usage);
    return 0;
  }
  return { values: parsed.values as OptionValues<Specs>, positionals: parsed.positionals };
}

/** A wrong command line: the message, then the usage, on stderr. Returns the exit code, 2. */
export function usageError(io: Io, command: Command, message: string): 2 {
  io.err(`${command.name}: ${message}\n\n${command.usage}`);
  return 2;
}

/** A wrong value of an option: the message alone on stderr. Returns the exit code, 2. */
export function valueError(io: Io, command: Command, message: string): 2 {
  io.err(`${command.name}: ${message}\n`);
  return 2;
}

/** The value of an option that takes a whole number, 0 or more; undefined when it is not one. */
export function wholeNumber(value: string): number | undefined {
  const number = Number(value);
  return Number.isInteger(number) && number >= 0 ? number : undefined;
}
