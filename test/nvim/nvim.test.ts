/**
 * A real editor as the client: headless Neovim starts `node dist/server.js --stdio`, opens a Terraform file
 * with a hard-coded password and a CloudFormation template with an open CIDR, waits for the diagnostics
 * (polling `vim.diagnostic.get`), writes them as JSON and quits.
 *
 * Needs `nvim` (Debian: `apt-get install -y neovim`; bookworm ships 0.7.2, which has no `vim.lsp.start`:
 * init.lua uses `vim.lsp.start_client` there). Without nvim the test is skipped locally and fails in CI.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt } from '../server/build';
import { CFN_YAML as CFN } from '../server/fixtures';

const ROOT = path.resolve(__dirname, '../..');
const SERVER_JS = path.join(ROOT, 'dist', 'server.js');
const INIT = path.join(__dirname, 'init.lua');
const TIMEOUT_MS = 30_000;

function nvimVersion(): string | undefined {
  try {
    return execFileSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 }).split('\n')[0];
  } catch {
    return undefined;
  }
}

const version = nvimVersion();
if (!version) {
  const message = 'nvim is not installed (Debian: apt-get install -y neovim): the Neovim client test cannot run';
  if (process.env.CI) throw new Error(message);
  console.warn(`${message}; skipping it`);
}

interface NvimDiagnostic {
  code: string;
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: number;
  message: string;
}

interface NvimResult {
  nvim: string;
  api: string;
  complete: boolean;
  initialized?: boolean;
  error?: string;
  exit?: { code: number; signal: number };
  files: { file: string; filetype: string; diagnostics: NvimDiagnostic[] }[];
}

const TF = `resource "aws_db_instance" "db" {
  engine   = "postgres"
  password = "Sup3rS3cretPassw0rd"
}
`;

function runNvim(
  dir: string,
  files: string[],
): Promise<{ result?: NvimResult; stdout: string; stderr: string; code: number | null; timedOut: boolean; lspLog: string }> {
  const out = path.join(dir, 'result.json');
  const xdg = path.join(dir, 'xdg');
  mkdirSync(xdg, { recursive: true });
  return new Promise((resolve) => {
    const child = spawn('nvim', ['--headless', '--clean', '-n', '-u', INIT], {
      cwd: dir,
      env: {
        ...process.env,
        AIRLOCK_SERVER: SERVER_JS,
        AIRLOCK_ROOT: dir,
        AIRLOCK_FILES: files.join(';'),
        AIRLOCK_OUT: out,
        AIRLOCK_TIMEOUT_MS: String(TIMEOUT_MS - 10_000),
        XDG_CACHE_HOME: path.join(xdg, 'cache'),
        XDG_STATE_HOME: path.join(xdg, 'state'),
        XDG_DATA_HOME: path.join(xdg, 'data'),
        XDG_CONFIG_HOME: path.join(xdg, 'config'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lspLogs = [path.join(xdg, 'cache', 'nvim', 'lsp.log'), path.join(xdg, 'state', 'nvim', 'lsp.log')].filter((p) => existsSync(p));
      const lspLog = lspLogs
        .map((p) => readFileSync(p, 'utf8'))
        .join('\n')
        .slice(-4000);
      const result = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as NvimResult) : undefined;
      resolve({ result, stdout, stderr, code, timedOut, lspLog });
    });
  });
}

describe.skipIf(!version)(`Neovim as the LSP client (${version ?? 'nvim missing'})`, () => {
  let dir: string;

  beforeAll(async () => {
    await ensureServerBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'airlock-nvim-'));
    writeFileSync(path.join(dir, 'main.tf'), TF);
    writeFileSync(path.join(dir, 'template.yaml'), CFN);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'shows the Terraform secret and the open CIDR as diagnostics',
    async () => {
      const run = await runNvim(dir, [path.join(dir, 'main.tf'), path.join(dir, 'template.yaml')]);
      const context = `nvim exit ${run.code}${run.timedOut ? ' (killed after timeout)' : ''}\nresult: ${JSON.stringify(run.result, null, 2)}\nstderr: ${run.stderr}\nstdout: ${run.stdout}\nlsp.log: ${run.lspLog}`;
      expect(run.result, `nvim wrote no result\n${context}`).toBeDefined();
      const result = run.result!;
      expect(result.error, context).toBeUndefined();
      expect(result.complete, `diagnostics did not arrive in time\n${context}`).toBe(true);
      expect(result.initialized, context).toBe(true);
      console.log(`Neovim ${result.nvim} via ${result.api}`);

      const tf = result.files.find((f) => f.file.endsWith('main.tf'))!;
      expect(tf.filetype).toBe('terraform');
      const secret = tf.diagnostics.filter((d) => d.code === 'secret/hardcoded-password');
      expect(secret, context).toHaveLength(1);
      expect(secret[0]).toMatchObject({ lnum: 2, col: 14, end_lnum: 2, end_col: 33, severity: 1 });
      expect(secret[0].message).not.toContain('Sup3rS3cretPassw0rd');

      const cfn = result.files.find((f) => f.file.endsWith('template.yaml'))!;
      const open = cfn.diagnostics.filter((d) => d.code === 'network/open-ingress');
      expect(open, context).toHaveLength(1);
      expect(open[0]).toMatchObject({ lnum: 10, col: 18, end_lnum: 10, end_col: 27, severity: 1 });
    },
    TIMEOUT_MS + 30_000,
  );
});
