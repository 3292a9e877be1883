import { execFileSync } from 'node:child_process';

/**
 * Runs git in a throwaway repository made by a test, with a fixed identity and without the machine's
 * configuration (no signing, no hooks from a global config), so tests behave the same everywhere.
 */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=Kodkarta',
      '-c',
      'user.email=kodkarta@example.org',
      '-c',
      'commit.gpgsign=false',
      '-c',
      'tag.gpgsign=false',
      ...args,
    ],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    },
  );
}
