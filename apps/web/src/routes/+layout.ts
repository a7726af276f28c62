// A single-page app: the Hono server hands out index.html for every page and the client renders it.
export const ssr = false;
export const prerender = false;
