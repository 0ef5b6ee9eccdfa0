import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEnv } from './env-docs';
import { booleanFlag, brokerList, positiveInt } from './env-types';

describe('describeEnv', () => {
  it('reads a description given before or after the default', () => {
    const docs = describeEnv(
      z.object({
        BEFORE: positiveInt().describe('described first').default(5),
        AFTER: positiveInt().default(5).describe('described last'),
      }),
    );
    expect(docs.map((doc) => doc.description)).toEqual(['described first', 'described last']);
  });

  it('prints defaults as code and an empty default as empty', () => {
    const docs = describeEnv(
      z.object({
        COUNT: positiveInt().default(30_000),
        PREFIX: z.string().default(''),
        ON: booleanFlag().default(false),
      }),
    );
    expect(docs.map((doc) => doc.defaultText)).toEqual(['`30000`', 'empty', '`false`']);
  });

  it('tells required variables from optional ones, through transforms', () => {
    const docs = describeEnv(z.object({ BROKERS: brokerList(), FILE: z.string().optional() }));
    expect(docs).toEqual([
      { name: 'BROKERS', required: true },
      { name: 'FILE', required: false },
    ]);
  });

  it('lists the values an enum accepts', () => {
    const [doc] = describeEnv(z.object({ LEVEL: z.enum(['info', 'debug']).default('info') }));
    expect(doc?.choices).toEqual(['info', 'debug']);
  });

  it('prefers a default text given in meta over one computed on this machine', () => {
    const [doc] = describeEnv(
      z.object({
        DIR: z.string().default('/home/someone/.run').meta({ description: 'data', defaultText: '`.run`' }),
      }),
    );
    expect(doc).toEqual({ name: 'DIR', required: false, defaultText: '`.run`', description: 'data' });
  });
});
