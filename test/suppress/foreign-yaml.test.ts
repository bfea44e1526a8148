import { describe, expect, it } from 'vitest';
import { scan } from './helpers';

const ACL = ['storage/s3-public-acl'];
const template = (resource: string[]) =>
  [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    ...resource,
    '  Data:',
    '    Type: AWS::S3::Bucket',
    '    Properties:',
    '      AccessControl: PublicRead',
  ].join('\n');
const site = (...inside: string[]) => ['  Site:', '    Type: AWS::S3::Bucket', ...inside, '    Properties:', '      AccessControl: PublicRead'];

describe('CloudFormation', () => {
  it('a checkov:skip comment inside the resource covers it, and no other resource', async () => {
    expect((await scan('/p/t.yaml', template(site('    # checkov:skip=CKV_AWS_20:public website')), ACL)).lines).toEqual([11]);
  });

  it('Metadata.checkov.skip covers the resource, in YAML and in JSON', async () => {
    const meta = ['    Metadata:', '      checkov:', '        skip:', '          - id: CKV_AWS_20', '            comment: public website'];
    expect((await scan('/p/t.yaml', template(site(...meta)), ACL)).lines).toEqual([15]);
    const json = JSON.stringify({
      Resources: {
        Site: {
          Type: 'AWS::S3::Bucket',
          Metadata: { checkov: { skip: [{ id: 'CKV_AWS_20', comment: 'website' }] } },
          Properties: { AccessControl: 'PublicRead' },
        },
        Data: { Type: 'AWS::S3::Bucket', Properties: { AccessControl: 'PublicRead' } },
      },
    });
    const r = await scan('/p/t.json', json, ACL);
    expect(r.ids).toEqual(['storage/s3-public-acl']);
    expect(r.suppressed).toBe(1);
  });

  it('a trivy:ignore comment above the resource covers it; tfsec markers are Terraform only', async () => {
    expect((await scan('/p/t.yaml', template(['  #trivy:ignore:AVD-AWS-0092', ...site()]), ACL)).lines).toEqual([11]);
    expect((await scan('/p/t.yaml', template(['  #tfsec:ignore:aws-s3-no-public-access-with-acl', ...site()]), ACL)).lines).toEqual([7, 11]);
  });

  it('a checkov comment after the resource (in the next one) does not cover it', async () => {
    const text = template(site()).replace('  Data:', '  Data:\n    # checkov:skip=CKV_AWS_20');
    expect((await scan('/p/t.yaml', text, ACL)).lines).toEqual([6]);
  });
});

describe('Kubernetes', () => {
  const pod = (annotations: string[], spec: string[] = ['  hostNetwork: true']) =>
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      ...annotations,
      'spec:',
      ...spec,
      '  containers:',
      '    - name: c',
      '      image: nginx:1.27',
    ].join('\n');
  const HOST = ['network/host-network'];

  it('a checkov.io/skip annotation covers the object', async () => {
    expect((await scan('/p/pod.yaml', pod(['  annotations:', '    checkov.io/skip1: CKV_K8S_19=needs the node network']), HOST)).lines).toEqual([]);
    const other = pod(['  annotations:', '    checkov.io/skip1: CKV_K8S_20=privilege escalation']);
    expect((await scan('/p/pod.yaml', other, HOST)).lines).toEqual([8]);
  });

  it('a checkov comment is not how checkov skips in Kubernetes: it is not honoured', async () => {
    expect((await scan('/p/pod.yaml', pod([], ['  # checkov:skip=CKV_K8S_19', '  hostNetwork: true']), HOST)).lines).toEqual([7]);
  });

  it('trivy:ignore (Helm-style) on the line above the offending one covers it', async () => {
    expect((await scan('/p/pod.yaml', pod([], ['  # trivy:ignore:KSV009', '  hostNetwork: true']), HOST)).lines).toEqual([]);
    expect((await scan('/p/pod.yaml', pod([], ['  # trivy:ignore:KSV013', '  hostNetwork: true']), HOST)).lines).toEqual([7]);
  });

  it('kics-scan ignore-line covers the next line', async () => {
    expect((await scan('/p/pod.yaml', pod([], ['  # kics-scan ignore-line', '  hostNetwork: true']), HOST)).lines).toEqual([]);
  });
});
