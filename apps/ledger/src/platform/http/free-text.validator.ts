import { registerDecorator, type ValidationArguments } from 'class-validator';
import { describeTextFlaw, findTextFlaw } from '@ledger/domain';

/**
 * Free text holds no control characters, unpaired surrogates or
 * bidirectional controls (the domain's rule, libs/domain/src/shared/text.ts).
 * The domain enforces it for every command; checking it here too answers
 * before any lookup, so that a command whose folio or process is unknown
 * still hears first that its text is not text. Code INVALID_TEXT, as the domain's.
 */
export function IsFreeText(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'invalidText',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || findTextFlaw(value) === undefined,
        defaultMessage: ({ property, value }: ValidationArguments) => {
          const found = typeof value === 'string' ? findTextFlaw(value) : undefined;
          return found ? describeTextFlaw(property, found) : `${property} is not text`;
        },
      },
    });
  };
}
