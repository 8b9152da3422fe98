import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);
const journal = (Journal: Record<string, unknown>, filename = '10-x.conf') => ({ filename, config: { Journal } });

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      journal({ Storage: 'persistent', Compress: '300K', SplitMode: 'uid', Audit: 'yes' }, '10-test-file-journald.conf'),
      journal({ Storage: 'auto' }),
      journal({ Audit: '' }),
      journal({ MaxFileSec: '1month', MaxRetentionSec: '1y', SyncIntervalSec: '5m' }, 'A_b.c-9.conf'),
      journal({ Storage: 'none' }, `${'a'.repeat(250)}.conf`),
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { filename: '10-x.conf' },
      { config: { Journal: { Storage: 'auto' } } },
      journal({ Storage: 'auto' }, '10-x.cfg'),
      journal({ Storage: 'auto' }, '../10-x.conf'),
      journal({ Storage: 'auto' }, 'sub/10-x.conf'),
      journal({ Storage: 'auto' }, '.conf'),
      journal({ Storage: 'auto' }, `${'a'.repeat(251)}.conf`),
      journal({}),
      journal({ Storage: 'sometimes' }),
      journal({ SplitMode: 'login' }),
      journal({ Audit: 'true' }),
      journal({ Compress: true }),
      journal({ RateLimitBurst: '100' }),
      { filename: '10-x.conf', config: {} },
      { filename: '10-x.conf', config: { Upload: { URL: 'x' } } },
      { ...journal({ Storage: 'auto' }), extra: 1 },
    ]);
  });
});
