import { childCommandId, commandIdFor, eventIdFor, uuidV5 } from './command-ids';

describe('name-based ids', () => {
  it('computes RFC 9562 UUID v5 (the DNS example of the RFC)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('derives the same command id from the same caller and key, another for another caller', () => {
    expect(commandIdFor('registrar:C:u1', 'k')).toBe(commandIdFor('registrar:C:u1', 'k'));
    expect(commandIdFor('registrar:C:u1', 'k')).not.toBe(commandIdFor('registrar:C:u2', 'k'));
    expect(commandIdFor('registrar:C:u1', undefined)).not.toBe(commandIdFor('registrar:C:u1', undefined));
  });

  it('derives event ids from command, stream and index', () => {
    const command = commandIdFor('s', 'k');
    expect(eventIdFor(command, 'person-x', 0)).toBe(eventIdFor(command, 'person-x', 0));
    expect(new Set([eventIdFor(command, 'person-x', 0), eventIdFor(command, 'person-x', 1), eventIdFor(command, 'certification-y', 0)]).size).toBe(3);
    expect(childCommandId(command, 'p1')).not.toBe(childCommandId(command, 'p2'));
  });
});
