import { describe, expect, it } from 'vitest';
import { suppressionCheckMessage } from '../../core/report';
import type { UnusedSuppression } from '../../core/suppress';

const entry = (kind: UnusedSuppression['kind'], tool?: UnusedSuppression['tool']): UnusedSuppression => ({
  uri: '/p/main.tf',
  span: { start: 0, end: 1 },
  tool,
  ids: [],
  kind,
});

describe('messages of the checks of suppression comments', () => {
  it('name the id, and the marker as its scanner writes it', () => {
    expect(suppressionCheckMessage(entry('unknown-rule'), 'secret/knwon-token')).toBe('Unknown rule id "secret/knwon-token" in airlock:ignore');
    expect(suppressionCheckMessage(entry('unused'), 'storage/s3-public-acl')).toBe('Unused airlock:ignore: no storage/s3-public-acl finding here');
    expect(suppressionCheckMessage(entry('unmapped', 'checkov'), 'CKV_AWS_18')).toBe(
      'checkov:skip=CKV_AWS_18 suppresses nothing: CKV_AWS_18 maps to no Airlock rule',
    );
    expect(suppressionCheckMessage(entry('unmapped', 'trivy'), 'AVD-AWS-0089')).toBe(
      'trivy:ignore:AVD-AWS-0089 suppresses nothing: AVD-AWS-0089 maps to no Airlock rule',
    );
    expect(suppressionCheckMessage(entry('unused', 'ruff'), 'S105')).toBe('noqa: S105 suppresses nothing: no Airlock finding of S105 here');
  });

  it('a marker that names no check is its own id: it is not repeated', () => {
    expect(suppressionCheckMessage(entry('unused', 'bandit'), 'nosec')).toBe('nosec suppresses nothing: no Airlock finding here');
    expect(suppressionCheckMessage(entry('unused', 'gitleaks'), 'gitleaks:allow')).toBe('gitleaks:allow suppresses nothing: no Airlock finding here');
    expect(suppressionCheckMessage(entry('unused', 'kics'), 'kics-scan ignore-line')).toBe('kics-scan ignore-line suppresses nothing: no Airlock finding here');
    expect(suppressionCheckMessage(entry('unused', 'kics'), 'a88baa34')).toBe(
      'kics-scan disable=a88baa34 suppresses nothing: no Airlock finding of a88baa34 here',
    );
  });
});
