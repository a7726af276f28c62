import { z } from 'zod';

/**
 * The NATO Admiralty code (STANAG 2511, AJP-2.1) that intelligence and lessons-learned analysts grade
 * evidence with: each source a reliability letter, each piece of information a credibility digit,
 * read together as "B2". F and 6 say that there is no basis to judge, not that it is bad.
 */
export const RELIABILITY_GRADES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const ReliabilitySchema = z.enum(RELIABILITY_GRADES);
export type Reliability = z.infer<typeof ReliabilitySchema>;

export const RELIABILITY_LABELS: Readonly<Record<Reliability, string>> = {
  A: 'Completely reliable',
  B: 'Usually reliable',
  C: 'Fairly reliable',
  D: 'Not usually reliable',
  E: 'Unreliable',
  F: 'Reliability cannot be judged',
};

export const CREDIBILITY_GRADES = [1, 2, 3, 4, 5, 6] as const;
export type Credibility = (typeof CREDIBILITY_GRADES)[number];

export const CREDIBILITY_LABELS: Readonly<Record<Credibility, string>> = {
  1: 'Confirmed by other sources',
  2: 'Probably true',
  3: 'Possibly true',
  4: 'Doubtful',
  5: 'Improbable',
  6: 'Truth cannot be judged',
};

/** "B2"; "B–" or "–2" with one part not graded; null with neither. */
export function admiraltyGrade(
  reliability: Reliability | null | undefined,
  credibility: number | null | undefined,
): string | null {
  if (!reliability && !credibility) return null;
  return `${reliability ?? '–'}${credibility ?? '–'}`;
}
