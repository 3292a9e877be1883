// Preloaded by `npm run test:grammar`. Markdown's grammar embeds about sixty languages in fenced code
// blocks (source.js, source.python, …); the grammar tests load only Markdown, HTML, YAML and Kodkarta's
// injection, so vscode-tmgrammar-test warns once for every other language. Those warnings say nothing
// about Kodkarta, so they are dropped here; every other warning still prints.
const warn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].startsWith('grammar not found for')) return;
  warn(...args);
};
