import type { Environment } from 'vitest/environments';

/**
 * Node with the web app's modules transformed as for the browser: Svelte compiles runes for its
 * client runtime (effects run, as in the app) without a DOM. Tests of code that needs a DOM ask
 * for jsdom instead.
 */
export default {
  name: 'svelte-client',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;
