/**
 * Summarises V8 .cpuprofile files: `npx tsx tests/bench/profile.ts <file.cpuprofile>…`.
 * Prints the top self-time functions and areas (packages) of each, as a share of busy time.
 */
import { summariseProfile } from './lib/profile.ts';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: tsx tests/bench/profile.ts <file.cpuprofile>…');
  process.exit(2);
}
for (const file of files) {
  const summary = summariseProfile(file, 25);
  console.log(
    `\n${file}\nbusy ${(summary.busyMs / 1000).toFixed(1)} s of ${(summary.totalMs / 1000).toFixed(1)} s sampled`,
  );
  console.log('\nby area:');
  for (const a of summary.areas) console.log(`  ${a.percent.toFixed(1).padStart(5)}%  ${a.name}`);
  console.log('\nby function (self time):');
  for (const f of summary.functions) console.log(`  ${f.percent.toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`);
}
