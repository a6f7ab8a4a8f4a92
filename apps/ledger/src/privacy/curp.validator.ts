import { registerDecorator, type ValidationArguments } from 'class-validator';
import { Curp, DomainError } from '@ledger/domain';

/** A CURP the domain accepts (format, date, state, check digit); the message names the flaw, never echoes the value. */
export function IsCurp(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCurp',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && flawOf(value) === undefined,
        defaultMessage: ({ property, value }: ValidationArguments) => `${property} is not a valid CURP (${typeof value === 'string' ? flawOf(value) : 'not text'})`,
      },
    });
  };
}

function flawOf(value: string): string | undefined {
  try {
    Curp.parse(value);
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}
