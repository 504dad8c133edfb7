/**
 * `portlab validate FILE...`: checks scenario files without running them. Every problem of every file is
 * printed, located (`file:line:col: path: message`); exit 2 when any file has an error, else 0. A valid
 * scenario's sysctls are then tried against the kernel in a throwaway namespace (config/sysctl-check.ts).
 */
import { EXIT, isPortlabError } from '../errors/index.js';
import { checkClaimText, isClaimDocument } from '../claims/file.js';
import { checkCompareInputs } from '../compare/plan.js';
import { isCompareDocument } from '../config/compare-file.js';
import { checkScenarioSource, readScenarioFile } from '../config/loader.js';
import { parseScenarioSource } from '../config/source.js';
import { formatProblem, isError, type LocatedProblem } from '../config/problems.js';
import { memoizedProber, withSysctlCheck, type SysctlProber } from '../config/sysctl-check.js';
import { withFileLimitCheck } from '../config/file-limit.js';
import { readFileLimit, type FileLimit } from '../util/file-limit.js';
import type { Scenario } from '../config/types.js';
import { createSysctlProber } from '../lab/sysctl-probe.js';
import { planFor } from '../model/plan.js';
import { formatDurationMs, formatRate } from '../util/units.js';
import { defineCommand } from './command.js';
import { exitCodesEpilogue } from './exit.js';

export interface ValidateArgs {
  files: string[];
  json?: boolean | undefined;
}

/** The verdict on one file; `scenario` (resolved, defaults applied) is present when it has no error. */
export interface FileReport {
  file: string;
  ok: boolean;
  scenario?: Scenario;
  /** For a compare file: the cells it plans, by name. */
  cells?: string[];
  problems: LocatedProblem[];
}

/** What validating needs from outside: the kernel's word on sysctls, and (in tests) the files. */
export interface ValidateDeps {
  probeSysctls: SysctlProber;
  readFile?: (path: string) => string;
  /** This process's open-file limit (run checks the same one before a lab); default: /proc/self/limits. */
  fileLimit?: FileLimit | null;
}

async function validateFile(file: string, { probeSysctls, readFile, fileLimit }: ValidateDeps): Promise<FileReport> {
  try {
    const text = readScenarioFile(file, readFile);
    const source = parseScenarioSource(text);
    if (isClaimDocument(source.value)) {
      const { claim, problems } = checkClaimText({ text, fileName: file, readFile });
      return { file, ok: claim !== undefined, cells: claim && [...claim.cells.map((c) => c.name), ...claim.probes.map((p) => p.name)], problems };
    }
    if (isCompareDocument(source.value)) {
      const { plan, problems } = checkCompareInputs({ files: [file], readFile: () => text });
      return { file, ok: plan !== undefined, cells: plan?.cells.map((c) => c.name), problems };
    }
    // The same checks as run's, so that a file validate passes is one run accepts.
    const limited = withFileLimitCheck(checkScenarioSource(source, file), fileLimit === undefined ? readFileLimit() : fileLimit);
    const { scenario, problems } = await withSysctlCheck(limited, probeSysctls);
    return { file, ok: !problems.some(isError), scenario, problems };
  } catch (err) {
    if (!isPortlabError(err) || err.code !== 'SCENARIO_NOT_FOUND') throw err;
    // The location already names the file: "x.yaml: scenario file not found".
    const message = err.message.replace(` ${file} `, ' ');
    return { file, ok: false, problems: [{ severity: 'error', path: [], message, location: file }] };
  }
}

/** Checks each file in turn; a missing file is a problem of that file, not a reason to stop. */
export async function validateFiles(files: readonly string[], deps: ValidateDeps): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  const once = { ...deps, probeSysctls: memoizedProber(deps.probeSysctls) };
  for (const file of files) reports.push(await validateFile(file, once));
  return reports;
}

/** "churn at 100/s", or "churn, 3 stages up to 200/s". */
function loadSummary(scenario: Scenario): string {
  const { pattern, stages } = scenario.client;
  if (stages.length === 1) return `${pattern} at ${formatRate(stages[0]!.ratePerSec)}`;
  return `${pattern}, ${stages.length} stages up to ${formatRate(planFor(stages).peakRatePerSec)}`;
}

/** The human form: an ok line (name, duration, load) or the file's problems; warnings follow either. */
export function renderReports(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.cells) lines.push(`${report.file}: ok (compare, ${report.cells.length} cells: ${report.cells.join(' ')})`);
    if (report.scenario) {
      const { name, durationMs } = report.scenario;
      lines.push(`${report.file}: ok (${name}, ${formatDurationMs(durationMs)}, ${loadSummary(report.scenario)})`);
    }
    lines.push(...report.problems.map(formatProblem));
  }
  const bad = reports.filter((r) => !r.ok).length;
  if (reports.length > 1) lines.push(bad === 0 ? `${reports.length} files ok` : `${bad} of ${reports.length} files have errors`);
  return `${lines.join('\n')}\n`;
}

/** Runs the command: writes the verdicts through `write` and resolves to the exit code. */
export async function runValidate(args: ValidateArgs, write: (text: string) => void, deps: ValidateDeps): Promise<number> {
  const reports = await validateFiles(args.files, deps);
  write(args.json ? `${JSON.stringify(reports, null, 2)}\n` : renderReports(reports));
  return reports.every((r) => r.ok) ? EXIT.OK : EXIT.BAD_INPUT;
}

export const validateCommand = defineCommand({
  command: 'validate <files..>',
  describe: 'check scenario and compare files without running them (every problem, with file:line:col)',
  builder: (yargs) =>
    yargs
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario or compare files (YAML or JSON)' })
      .option('json', { type: 'boolean', describe: 'print a JSON list: file, ok, resolved scenario, problems' })
      .example('$0 validate scenarios/*.yaml', 'check every bundled scenario')
      .example('$0 validate my.yaml --json', 'machine-readable verdict with defaults applied')
      .example('$0 validate scenarios/compare/*.yaml', 'check compare files: every cell is validated as the scenario it runs')
      .epilogue(exitCodesEpilogue(['OK', 'BAD_INPUT'])),
  handler: (args, io) => runValidate(args, (text) => io.stdout.write(text), { probeSysctls: io.probeSysctls ?? createSysctlProber() }),
});
