import { z } from 'zod';

export const port = () =>
  z.coerce
    .number()
    .int()
    .min(1, 'must be a port from 1 to 65535')
    .max(65535, 'must be a port from 1 to 65535');

export const positiveInt = () => z.coerce.number().int().positive('must be a positive whole number');

export const brokerList = () =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    )
    .refine((brokers) => brokers.length > 0, 'must name at least one broker')
    .refine(
      (brokers) =>
        brokers.every(
          (broker) => /^[^\s:/]+:\d{1,5}$/.test(broker) || /^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(broker),
        ),
      'must be a comma-separated list of host:port',
    );

export const httpUrl = () =>
  z
    .string()
    .url('must be an absolute URL')
    .refine((value) => /^https?:\/\//i.test(value), 'must be an http:// or https:// URL')
    .transform((value) => value.replace(/\/+$/, ''));

export const mongoUri = () =>
  z
    .string()
    .refine((value) => /^mongodb(\+srv)?:\/\/\S+$/.test(value), 'must be a mongodb:// or mongodb+srv:// URI');

export const booleanFlag = () =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1' || value === 'yes');
