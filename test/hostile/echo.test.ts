import { describe, expect, it } from 'vitest';
import { parseFile } from '../../core/formats';
import { convertFindings } from '../../core/report/convert';
import { analyze } from '../../core/runner';
import { RULES } from '../../rules';

const CANARY = 'Xk9mQ2vL8pR4tZ7wQ3';

/** Files whose parse problems are about a piece of source text that is (or may be) a secret. */
const FILES: Array<[string, string]> = [
  ['/p/configmap.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  value: *${CANARY}\n`],
  ['/p/secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  value: *${CANARY}\n`],
  [
    '/p/template.yaml',
    `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: *${CANARY}\n      Tags: !secretvalue${CANARY} abc\n`,
  ],
  ['/p/escape.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  value: "\\U${CANARY.slice(0, 8)}"\n`],
  ['/p/main.tf', `resource "aws_s3_bucket" "b" {\n  bucket = ${CANARY} ${CANARY}\n  acl = "private\n}\n`],
  ['/p/template.json', `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"X": ${CANARY}}}}}`],
  ['/p/n.ipynb', `{"cells": [{"cell_type": "code", "source": ["x = ${CANARY}"]}], ${CANARY}`],
];

describe('parse problems never quote the source', () => {
  for (const [uri, text] of FILES) {
    it(uri.slice(3), async () => {
      const file = await parseFile(uri, text);
      expect(file.problems.length).toBeGreaterThan(0);
      const { findings } = await analyze(file, { rules: RULES });
      const reported = convertFindings(file, findings, { root: '/p' });
      const printed = JSON.stringify([file.problems.map((p) => p.message), reported]);
      expect(printed).not.toContain(CANARY);
      expect(printed).not.toContain(CANARY.slice(0, 8));
    });
  }
});
