// citation-js ships no types; only what Debrief calls is declared.
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown, options?: { forceType?: string });
    format(kind: 'citation' | 'bibliography', options: Record<string, unknown>): string;
  }
  export const plugins: {
    config: {
      get(name: '@csl'): {
        styles: { add(name: string, xml: string): void };
        /** A citeproc-js engine for `data` in a registered style (cached per style and locale). */
        engine(
          data: unknown[],
          style: string,
          lang: string,
          format: string,
        ): {
          rebuildProcessorState(
            citations: Array<{ citationItems: Array<{ id: string }>; properties: { noteIndex: number } }>,
            format: string,
            uncited: string[],
          ): Array<[string, number, string]>;
        };
      };
    };
  };
}
declare module '@citation-js/plugin-csl';
