import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  loadAverage: number[];
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function machineFacts(): MachineFacts {
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(read('/proc/cpuinfo'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? '?';
  const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(read('/proc/meminfo'))?.[1] ?? os.totalmem() / 1024);
  const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(read('/etc/os-release'))?.[1] ?? os.type();
  return {
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel,
    memoryGiB: memKiB / 1024 / 1024,
    node: process.version,
    os: `${pretty} (${os.type()} ${os.release()}, ${os.arch()})`,
    loadAverage: os.loadavg(),
  };
}

/** The commit a checkout is at, with "+ local changes" when its tree is dirty. */
export function gitDescribe(dir: string): string {
  try {
    const commit = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync(
      'git',
      ['-C', dir, 'status', '--porcelain', '--untracked-files=no', '--', 'apps', 'packages'],
      {
        encoding: 'utf8',
      },
    ).trim();
    return dirty ? `${commit} + local changes` : commit;
  } catch {
    return 'unknown';
  }
}

/** Installed version of a package, read from its package.json. */
export function packageVersion(root: string, name: string): string {
  try {
    return (JSON.parse(read(`${root}/node_modules/${name}/package.json`)) as { version: string }).version;
  } catch {
    return '?';
  }
}
