import type { ScenarioNumber } from '../lib/options.ts';
import type { Scenario } from './common.ts';
import { editing } from './s1-editing.ts';
import { broadcast } from './s2-broadcast.ts';
import { stampede } from './s3-stampede.ts';
import { coldLoadScenario } from './s4-cold-load.ts';
import { presence } from './s5-presence.ts';
import { heavy } from './s6-heavy.ts';
import { twoProcesses } from './s7-two-processes.ts';

export const SCENARIO_LIST: Record<ScenarioNumber, Scenario> = {
  1: editing,
  2: broadcast,
  3: stampede,
  4: coldLoadScenario,
  5: presence,
  6: heavy,
  7: twoProcesses,
};
