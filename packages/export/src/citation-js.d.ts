// citation-js ships no types; only what Debrief calls is declared.
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown, options?: { forceType?: string });
    format(kind: 'citation' | 'bibliography', options: Record<string, unknown>): string;
  }
  export const plugins: {
    config: { get(name: '@csl'): { styles: { add(name: string, xml: string): void } } };
  };
}
declare module '@citation-js/plugin-csl';
