import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    // The Hono server serves this folder and answers every unknown path with index.html.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html' }),
  },
};

export default config;
