/** Help texts: the documented behaviour of the command line. */

const MAIN_HELP = `airlock - finds hard-coded secrets, public storage, open network rules and unpinned artifacts
in Terraform (plans and JSON too), CloudFormation, Kubernetes, Helm, kustomize, Compose, Dockerfiles,
GitHub Actions workflows, Python and Jupyter notebooks, and secrets in any text file.

Usage:
  airlock scan [options] [paths...]     scan files and folders (default: the current folder)
  airlock baseline [options] [paths...] accept the current findings: write .airlock-baseline.json
  airlock pin [--write] [paths...]      pin Hugging Face loads to the commits in the local cache
  airlock rules [--format text|json]    list the rules
  airlock explain <rule-id>             print a rule's documentation (--format text|json)
  airlock help [command]                this help, or a command's
  airlock --version

Run "airlock scan --help" for the scan options and exit codes.
`;

const SCAN_HELP = `Usage: airlock scan [options] [paths...]

Scans files and folders (default: the current folder). Paths in reports are relative to the current
folder; the nearest .airlock.yaml is looked up from the first path upward.

Options:
  --staged              scan what git will commit (the index), not the working tree; paths, if given,
                        restrict it. Not a git repository: exit 2
  -f, --format FORMAT   text (default), json or sarif
  -o, --output FILE     write the report to FILE (text without colour); the summary line goes to stderr
  -c, --config FILE     config file for every path (default: each path's nearest .airlock.yaml at or above it)
  -s, --severity LEVEL  fail threshold: error, warning (default) or info. Findings below it are still
                        reported but do not make the exit code 1
  --max-file-size SIZE  skip files larger than SIZE (bytes, or 500KB, 5MB; default: the config's
                        maxFileSize, else 5MB)
  -j, --jobs N          threads that scan (default: one per CPU, at most 8, above 200 files on more than
                        one CPU, else 1; above 200 files one thread is a worker with a bounded heap: the
                        least memory)
  --color, --no-color   colour on or off (default: on when stdout is a terminal and NO_COLOR is unset)
  -q, --quiet           findings only: no notes, no summary
  -b, --baseline FILE   report only findings FILE does not hold (see airlock baseline --help; default:
                        the config's baseline:, if set); entries nothing matches any more are listed
  --report-unused-suppressions
                        also report suppressions that hide no finding (airlock/unused-suppression):
                        warning for airlock:ignore, info for other scanners' markers
  --cache               read back the results of folders unchanged since the last --cache scan
                        (keyed by each file's content, the config, the rules and the Airlock build)
  --cache-location DIR  where the cache lives (default: .airlock-cache, which holds its own .gitignore)
  --helm-values FILE    a Helm values file read after each chart's values.yaml, as helm -f reads it
                        (repeat for several; after the config's helm: values:, the last one wins)
  -h, --help            this help

Which files:
  Folders are walked with git's ignore rules (.gitignore files at every level, .git/info/exclude) and
  the config's ignore: patterns; .git/ and node_modules/ are always skipped and symbolic links are not
  followed. A file or folder named on the command line is scanned even if .gitignore lists it; the
  rules apply below it (ignore: patterns still apply). A Terraform file named on the command line (or
  staged) brings the other .tf/.tofu/.tfvars files of its folder: a module is scanned whole. A scan that
  matched no file says so on stderr. Every text file is checked for token-format secrets; Terraform, CloudFormation,
  Kubernetes and notebook files also get the structural rules. Binary files (a NUL byte in the first
  8 KB) and files over the size limit are skipped and counted in the summary.

Output:
  text    path:line:col severity rule-id message
          notebooks: line and column in the .ipynb file, then [cell N, line M] (cells counted from 1)
          then notes (parse problems, rule failures, unreadable files) and a summary line
  json    { version, findings, problems, skipped, summary }; notebook "cell" is the 0-based index
  sarif   SARIF 2.1.0; notes are invocations[0].toolExecutionNotifications
  Messages never contain a secret's value: secrets are masked.
  Text findings are printed as their folders finish; json and sarif are written whole, sorted. When
  stderr is a terminal and the scan takes over a second, stderr shows progress (files done / total,
  the folder last finished); otherwise nothing extra is written.

Exit codes:
  0  no finding at or above the threshold
  1  findings at or above the threshold
  2  usage or I/O error: unknown option, missing path, bad config, --staged outside git, an unwritable
     --output; or a file or folder that could not be read or scanned (the scan still finishes and
     reports everything else first)
  A file that parses only in part, or a rule that fails on one file, is reported as a note and does not
  change the exit code. An airlock:ignore naming no rule (airlock/unknown-rule-id, a warning) and,
  with --report-unused-suppressions, one that hides nothing count like findings.
`;

const BASELINE_HELP = `Usage: airlock baseline [options] [paths...]

Scans like airlock scan and writes every finding to a baseline file, so that later scans with
--baseline FILE (or baseline: FILE in .airlock.yaml) report only new findings.

Options:
  -o, --output FILE     the baseline file (default: the config's baseline:, else .airlock-baseline.json)
  --update              keep only the entries that still match a finding: the file shrinks as findings
                        are fixed and never takes in new ones
  -c, --config FILE     config file (default: the nearest .airlock.yaml at or above the current folder)
  -j, --jobs N          threads that scan
  -q, --quiet           no note on stderr
  -h, --help            this help

The file is JSON, sorted, one entry per line: rule id, where the finding lives (Terraform: module
folder and resource address; Kubernetes and CloudFormation: file, object and key path; notebooks:
file, cell id and call) and a fingerprint (a hash that also covers the value; secrets are hashed
masked). No line numbers, no timestamps, no values: moving, reformatting or reordering code keeps a
finding matched; the same finding in another module, file or address is new.
Exit codes: 0 written; 2 usage or I/O error, or a file that could not be scanned.
`;

const PIN_HELP = `Usage: airlock pin [options] [paths...]

Pins every Hugging Face Hub load that names no commit (from_pretrained, pipeline, hf_hub_download,
load_dataset, huggingface-cli download, HF_MODEL_ID, ...) to the commit the local Hugging Face cache
downloaded for it: the commit its refs/<ref> file records (refs/main for a load without a revision),
which is what last ran on this machine. Offline: only the cache's folder names and ref files are read.
Nothing is guessed: a load whose ref the cache never resolved is listed on stderr and left as it is.
Loads hidden by airlock:ignore, and rules the config turns off, are left alone.

Options:
  -w, --write           write the pins into the files (default: print them as a unified diff)
  --hf-cache DIR        the cache folder (default: $HF_HUB_CACHE, else $HF_HOME/hub, else
                        $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub)
  -c, --config FILE     config file (default: the nearest .airlock.yaml at or above the first path)
  -q, --quiet           no summary line
  -h, --help            this help

Files are chosen as airlock scan chooses them. --write replaces a file only when it parses as well as
before, never through a symbolic link, never outside the current folder and never when it changed
while airlock read it; its line endings and permissions are kept. Running it again changes nothing.

Exit codes:
  0  nothing to pin (or, with --write, every pin written)
  1  without --write: the diff is not empty
  2  usage or I/O error, or a file that could not be read or written
`;

const RULES_HELP = `Usage: airlock rules [--format text|json]

Lists every rule: id, family, default severity, formats and summary.
`;

const EXPLAIN_HELP = `Usage: airlock explain <rule-id> [--format text|json]

Prints a rule's documentation: summary, why it matters, how to fix it, what its automatic fix does,
and an example. The family may be left out when the name is unique (airlock explain known-token).
An unknown id exits 2 and suggests close ones.
`;

export function helpFor(topic: string | undefined): string | undefined {
  switch (topic) {
    case undefined:
      return MAIN_HELP;
    case 'scan':
      return SCAN_HELP;
    case 'baseline':
      return BASELINE_HELP;
    case 'rules':
      return RULES_HELP;
    case 'pin':
      return PIN_HELP;
    case 'explain':
      return EXPLAIN_HELP;
    default:
      return undefined;
  }
}
