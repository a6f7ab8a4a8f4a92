import type { ValidationError } from 'class-validator';
import { fieldProblemsOf } from './field-problems';

describe('fieldProblemsOf', () => {
  it('names nested fields by dotted path, one entry per failed rule, with plain codes', () => {
    const errors: ValidationError[] = [
      { property: 'hours', constraints: { isNumber: 'hours must be a number', max: 'hours must not be greater than 1000' }, children: [] },
      { property: 'jurisdiction', constraints: {}, children: [{ property: 'state', constraints: { isString: 'state must be a string' }, children: [] }] },
      { property: 'extra', constraints: { whitelistValidation: 'property extra should not exist' }, children: [] },
    ];
    expect(fieldProblemsOf(errors)).toEqual([
      { field: 'hours', code: 'IS_NUMBER', message: 'hours must be a number' },
      { field: 'hours', code: 'MAX', message: 'hours must not be greater than 1000' },
      { field: 'jurisdiction.state', code: 'IS_STRING', message: 'state must be a string' },
      { field: 'extra', code: 'UNKNOWN_FIELD', message: 'property extra should not exist' },
    ]);
  });
});
