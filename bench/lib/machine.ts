import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The machine a benchmark ran on, recorded with every result so figures can be compared honestly. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  chromium: string | null;
}

/** One measured figure, optionally beside the baseline it is compared with in the same run. */
export interface Figure {
  what: string;
  value: number;
  unit: string;
  stat: 'median' | 'count' | 'total' | 'max' | 'ratio' | 'single';
  target?: string;
  met?: boolean;
  baseline?: { what: string; value: number; unit: string };
  note?: string;
}

/** What a benchmark writes to bench/results/<name>.json. */
export interface BenchResult {
  benchmark: string;
  ranAt: string;
  machine: MachineInfo;
  runs: number;
  figures: Figure[];
}

/** Reads the Chromium version from the binary the browser benchmarks use (null when it is not installed). */
export function chromiumVersion(
  executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
): string | null {
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** Describes this machine. */
export function machineInfo(withChromium = false): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    chromium: withChromium ? chromiumVersion() : null,
  };
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Writes a result to bench/results/<benchmark>.json and returns the path. */
export function writeResult(result: BenchResult): string {
  const dir = path.join(import.meta.dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.benchmark}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
