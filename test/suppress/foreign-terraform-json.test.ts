import { describe, expect, it } from 'vitest';
import { scan } from './helpers';

/**
 * Terraform's JSON syntax: other scanners' markers in a `"//"` property, which covers the object it is written
 * in, as `airlock:ignore` there does.
 */

const ACL = ['storage/s3-public-acl'];
const INGRESS = ['network/open-ingress'];

/** Two buckets with a public ACL (lines 6 and 10); `marker` goes into the first one's body, `top` at the file's top. */
function buckets(marker?: string, top?: string): string {
  const comment = (m: string | undefined) => (m === undefined ? '' : `"//": ${JSON.stringify(m)}, `);
  return [
    '{',
    `  ${comment(top)}"resource": {`,
    '    "aws_s3_bucket": {',
    '      "site": {',
    `        ${comment(marker)}"bucket": "site",`,
    '        "acl": "public-read"',
    '      },',
    '      "logs": {',
    '        "bucket": "logs",',
    '        "acl": "public-read"',
    '      }',
    '    }',
    '  }',
    '}',
  ].join('\n');
}

describe('Terraform JSON: other scanners in "//"', () => {
  it('is not suppressed without a marker (the fixture reports both buckets)', async () => {
    expect((await scan('/p/main.tf.json', buckets(), ACL)).lines).toEqual([6, 10]);
  });

  it('checkov:skip in a resource covers that resource, with its reason', async () => {
    const r = await scan('/p/main.tf.json', buckets('checkov:skip=CKV_AWS_20:static website'), ACL);
    expect(r.lines).toEqual([10]);
    expect(r.suppressed).toBe(1);
  });

  it('checkov:skip in a nested block covers its resource, for the checks it names', async () => {
    const sg = (marker: string) =>
      JSON.stringify(
        {
          resource: {
            aws_security_group: {
              ssh: { ingress: [{ '//': marker, from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] },
            },
          },
        },
        null,
        2,
      );
    expect((await scan('/p/sg.tf.json', sg('checkov:skip=CKV_AWS_24'), INGRESS)).lines).toEqual([]);
    expect((await scan('/p/sg.tf.json', sg('checkov:skip=CKV_AWS_20'), INGRESS)).lines).toEqual([12]);
  });

  it('tfsec:ignore and trivy:ignore cover the object they are written in; expired or filtered ones do not', async () => {
    expect((await scan('/p/main.tf.json', buckets('tfsec:ignore:aws-s3-no-public-access-with-acl'), ACL)).lines).toEqual([10]);
    expect((await scan('/p/main.tf.json', buckets('trivy:ignore:AVD-AWS-0092'), ACL)).lines).toEqual([10]);
    expect((await scan('/p/main.tf.json', buckets('trivy:ignore:AVD-AWS-0092:exp:2020-01-01'), ACL)).lines).toEqual([6, 10]);
    expect((await scan('/p/main.tf.json', buckets('trivy:ignore:AVD-AWS-0092[bucket=site]'), ACL)).lines).toEqual([6, 10]);
  });

  it('kics-scan ignore-block covers the object; disable=<query> and ignore the whole file', async () => {
    expect((await scan('/p/main.tf.json', buckets('kics-scan ignore-block'), ACL)).lines).toEqual([10]);
    expect((await scan('/p/main.tf.json', buckets(undefined, 'kics-scan disable=38c5ee0d-7f22-4260-ab72-5073048df100'), ACL)).lines).toEqual([]);
    expect((await scan('/p/main.tf.json', buckets(undefined, 'kics-scan disable=65905cec-d691-4320-b320-2000436cb696'), ACL)).lines).toEqual([6, 10]);
    expect((await scan('/p/main.tf.json', buckets(undefined, 'kics-scan ignore'), ACL)).lines).toEqual([]);
  });

  it('a marker in a string that is not a "//" property is not a marker', async () => {
    const text = buckets().replace('"bucket": "site"', '"bucket": "checkov:skip=CKV_AWS_20"');
    expect((await scan('/p/main.tf.json', text, ACL)).lines).toEqual([6, 10]);
  });

  it('an unmapped check id is reported as such, and foreignSuppressions: false turns them off', async () => {
    const r = await scan('/p/main.tf.json', buckets('checkov:skip=CKV_AWS_18'), ACL);
    expect(r.lines).toEqual([6, 10]);
    expect(r.unused).toEqual([expect.objectContaining({ tool: 'checkov', ids: ['CKV_AWS_18'], kind: 'unmapped' })]);
    expect((await scan('/p/main.tf.json', buckets('checkov:skip=CKV_AWS_20'), ACL, { foreignSuppressions: false })).lines).toEqual([6, 10]);
  });
});
