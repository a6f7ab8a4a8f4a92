import { parseText } from './text';
import { DomainError } from './domain-error';

/**
 * The 32 federal entities of Mexico. `curpCode` is the two-letter code RENAPO
 * writes in a CURP (positions 12–13). `code` is the ledger's jurisdiction code:
 * the same letters, except Mexico City, which the CURP still writes `DF` (its
 * pre-2016 name, Distrito Federal) and the ledger writes `CMX`.
 */
export interface MexicanState {
  code: string;
  curpCode: string;
  name: string;
}

export const MEXICAN_STATES: readonly MexicanState[] = Object.freeze([
  { code: 'AS', curpCode: 'AS', name: 'Aguascalientes' },
  { code: 'BC', curpCode: 'BC', name: 'Baja California' },
  { code: 'BS', curpCode: 'BS', name: 'Baja California Sur' },
  { code: 'CC', curpCode: 'CC', name: 'Campeche' },
  { code: 'CL', curpCode: 'CL', name: 'Coahuila de Zaragoza' },
  { code: 'CM', curpCode: 'CM', name: 'Colima' },
  { code: 'CS', curpCode: 'CS', name: 'Chiapas' },
  { code: 'CH', curpCode: 'CH', name: 'Chihuahua' },
  { code: 'CMX', curpCode: 'DF', name: 'Ciudad de México' },
  { code: 'DG', curpCode: 'DG', name: 'Durango' },
  { code: 'GT', curpCode: 'GT', name: 'Guanajuato' },
  { code: 'GR', curpCode: 'GR', name: 'Guerrero' },
  { code: 'HG', curpCode: 'HG', name: 'Hidalgo' },
  { code: 'JC', curpCode: 'JC', name: 'Jalisco' },
  { code: 'MC', curpCode: 'MC', name: 'México' },
  { code: 'MN', curpCode: 'MN', name: 'Michoacán de Ocampo' },
  { code: 'MS', curpCode: 'MS', name: 'Morelos' },
  { code: 'NT', curpCode: 'NT', name: 'Nayarit' },
  { code: 'NL', curpCode: 'NL', name: 'Nuevo León' },
  { code: 'OC', curpCode: 'OC', name: 'Oaxaca' },
  { code: 'PL', curpCode: 'PL', name: 'Puebla' },
  { code: 'QT', curpCode: 'QT', name: 'Querétaro' },
  { code: 'QR', curpCode: 'QR', name: 'Quintana Roo' },
  { code: 'SP', curpCode: 'SP', name: 'San Luis Potosí' },
  { code: 'SL', curpCode: 'SL', name: 'Sinaloa' },
  { code: 'SR', curpCode: 'SR', name: 'Sonora' },
  { code: 'TC', curpCode: 'TC', name: 'Tabasco' },
  { code: 'TS', curpCode: 'TS', name: 'Tamaulipas' },
  { code: 'TL', curpCode: 'TL', name: 'Tlaxcala' },
  { code: 'VZ', curpCode: 'VZ', name: 'Veracruz de Ignacio de la Llave' },
  { code: 'YN', curpCode: 'YN', name: 'Yucatán' },
  { code: 'ZS', curpCode: 'ZS', name: 'Zacatecas' },
].map((state) => Object.freeze(state)));

/** Written in a CURP for people born abroad (nacido en el extranjero). */
export const CURP_BORN_ABROAD_CODE = 'NE';

/** Every code that may appear at positions 12–13 of a CURP. */
export const CURP_STATE_CODES: readonly string[] = Object.freeze([
  ...MEXICAN_STATES.map((state) => state.curpCode),
  CURP_BORN_ABROAD_CODE,
]);

/** Jurisdiction code → name, e.g. `BC` → `Baja California`. */
export const STATE_NAMES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(MEXICAN_STATES.map((state) => [state.code, state.name])),
);

const BY_CODE = new Map(MEXICAN_STATES.map((state) => [state.code, state]));
const BY_CURP_CODE = new Map(MEXICAN_STATES.map((state) => [state.curpCode, state]));

/** The longest municipality name a jurisdiction carries. */
export const MAX_MUNICIPALITY_LENGTH = 120;

/** Finds a state by jurisdiction code, accepting `DF` as the old name of `CMX`. */
export function findState(code: string): MexicanState | undefined {
  const upper = code.trim().toUpperCase();
  return BY_CODE.get(upper) ?? BY_CURP_CODE.get(upper);
}

/** Normalises a jurisdiction state code (`bc` → `BC`, `DF` → `CMX`) or throws STATE_CODE_UNKNOWN. */
export function parseStateCode(code: unknown, field = 'jurisdiction.state'): string {
  const state = typeof code === 'string' ? findState(code) : undefined;
  if (state === undefined) {
    throw new DomainError('STATE_CODE_UNKNOWN', `${field} is not a Mexican state code`, { field });
  }
  return state.code;
}

/**
 * A jurisdiction as the ledger records it: the state's canonical code and,
 * when given, the municipality as text (at most 120 characters).
 */
export function parseJurisdiction(input: { state?: unknown; municipality?: unknown } | null | undefined): { state: string; municipality?: string } {
  const state = parseStateCode(input?.state);
  const municipality = input?.municipality;
  return municipality === undefined || municipality === null
    ? { state }
    : { state, municipality: parseText(municipality, 'jurisdiction.municipality', MAX_MUNICIPALITY_LENGTH) };
}
