/**
 * Node options the server is started with, by the VS Code client and by the benchmarks. The young
 * generation is capped at 4 MB: indexing takes in thousands of summaries, V8 grows the young generation
 * to its 32 MB maximum meanwhile, and an idle server never collects again to shrink it.
 */
export const serverExecArgv = ['--max-semi-space-size=4'];
