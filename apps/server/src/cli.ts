import { runCli } from './cliProgram.ts';

// `npm run cli -- <command>`: the commands and their usage are in cliProgram.ts.
process.exit(await runCli(process.argv.slice(2)));
