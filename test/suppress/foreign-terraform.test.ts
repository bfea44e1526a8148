import { describe, expect, it } from 'vitest';
import { scan } from './helpers';

const ACL = ['storage/s3-public-acl'];
const bucket = (inside: string, above = '') =>
  [above, 'resource "aws_s3_bucket" "site" {', `  ${inside}`, '  bucket = "site"', '  acl    = "public-read"', '}'].join('\n');

describe('Terraform: checkov', () => {
  it('a checkov:skip comment anywhere inside the block covers the resource', async () => {
    expect((await scan('/p/main.tf', bucket('#checkov:skip=CKV_AWS_20:static website'), ACL)).lines).toEqual([]);
    expect((await scan('/p/main.tf', bucket('# checkov:skip=CKV_AWS_57'), ACL)).lines).toEqual([]);
  });

  it('above the block (outside it) it is not honoured, as checkov does not honour it', async () => {
    expect((await scan('/p/main.tf', bucket('', '#checkov:skip=CKV_AWS_20'), ACL)).lines).toEqual([5]);
  });

  it('a check id that maps to no rule suppresses nothing and is reported as unmapped', async () => {
    const r = await scan('/p/main.tf', bucket('#checkov:skip=CKV_AWS_18:logging'), ACL);
    expect(r.lines).toEqual([5]);
    expect(r.unused).toEqual([expect.objectContaining({ tool: 'checkov', ids: ['CKV_AWS_18'], kind: 'unmapped' })]);
  });

  it('CKV_SECRET_* covers the line of the secret, the line above it or the line below it, nothing further', async () => {
    const db = (...body: string[]) => ['resource "aws_db_instance" "db" {', ...body, '}'].join('\n');
    const secret = ['secret/hardcoded-password'];
    expect((await scan('/p/db.tf', db('  password = "Sup3rS3cretPassw0rd!" # checkov:skip=CKV_SECRET_6 test'), secret)).lines).toEqual([]);
    expect((await scan('/p/db.tf', db('  # checkov:skip=CKV_SECRET_6', '  password = "Sup3rS3cretPassw0rd!"'), secret)).lines).toEqual([]);
    expect((await scan('/p/db.tf', db('  password = "Sup3rS3cretPassw0rd!"', '  # checkov:skip=CKV_SECRET_6'), secret)).lines).toEqual([]);
    expect((await scan('/p/db.tf', db('  # checkov:skip=CKV_SECRET_6', '  engine = "mysql"', '  password = "Sup3rS3cretPassw0rd!"'), secret)).lines).toEqual([
      4,
    ]);
  });
});

describe('Terraform: tfsec and Trivy', () => {
  it('on the offending line, or alone on the line above it', async () => {
    expect(
      (await scan('/p/main.tf', bucket('', '').replace('"public-read"', '"public-read" #tfsec:ignore:aws-s3-no-public-access-with-acl'), ACL)).lines,
    ).toEqual([]);
    const above = bucket('').replace('  acl ', '  #trivy:ignore:AVD-AWS-0092\n  acl ');
    expect((await scan('/p/main.tf', above, ACL)).lines).toEqual([]);
  });

  it('above a block covers the whole block; stacked ignore comments all apply', async () => {
    const stacked = bucket('', '#trivy:ignore:AVD-AWS-0086\n#trivy:ignore:aws-s3-no-public-access-with-acl');
    expect((await scan('/p/main.tf', stacked, ACL)).lines).toEqual([]);
    expect((await scan('/p/main.tf', bucket('', '# tfsec:ignore:aws-s3-*'), ACL)).lines).toEqual([]);
  });

  it('below the offending line, with an attribute filter or past its expiry date it is not honoured', async () => {
    const below = bucket('').replace('"public-read"\n', '"public-read"\n  #tfsec:ignore:aws-s3-no-public-access-with-acl\n');
    expect((await scan('/p/main.tf', below, ACL)).lines).toEqual([5]);
    expect((await scan('/p/main.tf', bucket('', '#trivy:ignore:AVD-AWS-0092[bucket=site]'), ACL)).lines).toEqual([5]);
    expect((await scan('/p/main.tf', bucket('', '#trivy:ignore:AVD-AWS-0092:exp:2020-01-01'), ACL)).lines).toEqual([5]);
    expect((await scan('/p/main.tf', bucket('', '#trivy:ignore:AVD-AWS-0092:exp:2999-01-01'), ACL)).lines).toEqual([]);
  });

  it('an ingress check covers the security group it sits above, not the next one', async () => {
    const sg = (name: string) =>
      `resource "aws_security_group" "${name}" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}`;
    const text = `#tfsec:ignore:aws-vpc-no-public-ingress-sgr\n${sg('a')}\n${sg('b')}`;
    expect((await scan('/p/sg.tf', text, ['network/open-ingress'])).lines).toEqual([15]);
  });
});

describe('Terraform: KICS', () => {
  it('ignore-line covers the next line only', async () => {
    const text = bucket('').replace('  acl ', '  # kics-scan ignore-line\n  acl ');
    expect((await scan('/p/main.tf', text, ACL)).lines).toEqual([]);
    const far = bucket('# kics-scan ignore-line');
    expect((await scan('/p/main.tf', far, ACL)).lines).toEqual([5]);
  });

  it('ignore-block covers the block below; disable=<query id> covers the file for that query only', async () => {
    expect((await scan('/p/main.tf', bucket('', '# kics-scan ignore-block'), ACL)).lines).toEqual([]);
    const disabled = `# kics-scan disable=38c5ee0d-7f22-4260-ab72-5073048df100\n${bucket('')}`;
    expect((await scan('/p/main.tf', disabled, ACL)).lines).toEqual([]);
    const other = `# kics-scan disable=65905cec-d691-4320-b320-2000436cb696\n${bucket('')}`;
    expect((await scan('/p/main.tf', other, ACL)).lines).toEqual([6]);
  });
});

describe('Terraform: secret markers', () => {
  const db = (line: string, above = '') => ['resource "aws_db_instance" "db" {', ...(above ? [above] : []), line, '}'].join('\n');
  const secret = ['secret/hardcoded-password'];

  it('gitleaks:allow and pragma: allowlist secret on the line of the secret', async () => {
    expect((await scan('/p/db.tf', db('  password = "Sup3rS3cretPassw0rd!" # gitleaks:allow'), secret)).lines).toEqual([]);
    expect((await scan('/p/db.tf', db('  password = "Sup3rS3cretPassw0rd!" # pragma: allowlist secret'), secret)).lines).toEqual([]);
  });

  it('on the line above, only the nextline pragma applies', async () => {
    expect((await scan('/p/db.tf', db('  password = "Sup3rS3cretPassw0rd!"', '  # pragma: allowlist nextline secret'), secret)).lines).toEqual([]);
    expect((await scan('/p/db.tf', db('  password = "Sup3rS3cretPassw0rd!"', '  # pragma: allowlist secret'), secret)).lines).toEqual([3]);
    expect((await scan('/p/db.tf', db('  password = "Sup3rS3cretPassw0rd!"', '  # gitleaks:allow'), secret)).lines).toEqual([3]);
  });

  it('a secret marker suppresses only secret rules', async () => {
    const text = bucket('').replace('"public-read"', '"public-read" # gitleaks:allow');
    expect((await scan('/p/main.tf', text, ACL)).lines).toEqual([5]);
  });

  it('foreignSuppressions: false turns every other scanner marker off', async () => {
    const r = await scan('/p/db.tf', db('  password = "Sup3rS3cretPassw0rd!" # gitleaks:allow'), secret, { foreignSuppressions: false });
    expect(r.lines).toEqual([2]);
    expect((await scan('/p/main.tf', bucket('#checkov:skip=CKV_AWS_20'), ACL, { foreignSuppressions: false })).lines).toEqual([5]);
  });
});

describe('Terraform: stacked comments', () => {
  it('an ignore comment separated from the block by another kind of comment does not reach it', async () => {
    const text = ['#trivy:ignore:AVD-AWS-0092', '# the site bucket', 'resource "aws_s3_bucket" "site" {', '  acl = "public-read"', '}'].join('\n');
    expect((await scan('/p/main.tf', text, ['storage/s3-public-acl'])).lines).toEqual([4]);
  });
});
