/**
 * Names and places for the demo dataset: common Mexican given names and
 * surnames (accents and Ñ included, as they appear in civil registries), and
 * agencies of the governments named in the public figures the demo follows.
 */
export const FEMALE_GIVEN_NAMES = [
  'María Guadalupe', 'Juana', 'Margarita', 'Verónica', 'Leticia', 'Rosa María', 'Patricia', 'Elizabeth',
  'Alejandra', 'Adriana', 'Gabriela', 'Claudia', 'Araceli', 'Mónica', 'Silvia', 'Norma', 'Yolanda',
  'Laura', 'Lucía', 'Fernanda', 'Daniela', 'Ximena', 'Sofía', 'Itzel', 'Citlali', 'Yesenia', 'Brenda',
  'Karla', 'Diana', 'Érika', 'Ángeles', 'Noemí', 'Inés', 'Rocío', 'Beatriz', 'Teresa',
] as const;

export const MALE_GIVEN_NAMES = [
  'José Luis', 'Juan', 'Luis', 'Carlos', 'Jesús', 'Miguel Ángel', 'Francisco', 'Antonio', 'Alejandro',
  'Jorge', 'Pedro', 'Ricardo', 'Fernando', 'Eduardo', 'Roberto', 'Manuel', 'Rafael', 'Arturo', 'Javier',
  'Sergio', 'Raúl', 'Héctor', 'Óscar', 'Iván', 'Emiliano', 'Diego', 'Ramón', 'Gerardo', 'Salvador',
  'Ángel', 'Efraín', 'Joaquín', 'Rubén', 'Martín', 'Ignacio', 'Noé',
] as const;

export const SURNAMES = [
  'Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez',
  'Cruz', 'Flores', 'Gómez', 'Morales', 'Vázquez', 'Reyes', 'Jiménez', 'Torres', 'Díaz', 'Gutiérrez',
  'Ruiz', 'Mendoza', 'Aguilar', 'Ortiz', 'Moreno', 'Castillo', 'Romero', 'Álvarez', 'Méndez', 'Chávez',
  'Rivera', 'Juárez', 'Ramos', 'Domínguez', 'Herrera', 'Medina', 'Castro', 'Vargas', 'Guzmán',
  'Velázquez', 'Muñoz', 'Rojas', 'Contreras', 'Salazar', 'Luna', 'Ortega', 'Cervantes', 'Núñez', 'Peña',
  'Ibarra', 'Ávila', 'Espinoza', 'Acosta', 'Maldonado', 'Zúñiga', 'Ochoa', 'Ibáñez', 'Yáñez', 'Muñiz',
  'Treviño', 'Nava', 'Cuevas', 'Canché', 'Pech', 'May', 'Chan', 'Dzul', 'Tzuc', 'Ek',
] as const;

/** Agencies of the Baja California state government (jurisdiction BC, no municipality). */
export const BAJA_CALIFORNIA_STATE_AGENCIES = [
  'Secretaría de Hacienda', 'Secretaría de Educación', 'Secretaría de Salud', 'Oficialía Mayor de Gobierno',
  'Secretaría de la Honestidad y la Función Pública', 'Registro Civil del Estado', 'Secretaría de Seguridad Ciudadana',
  'Instituto de Servicios de Salud Pública', 'Dirección de Transporte Público', 'Procuraduría de la Defensa del Contribuyente',
  'Secretaría del Trabajo y Previsión Social', 'Secretaría de Bienestar', 'Registro Público de la Propiedad y de Comercio',
  'Junta Local de Conciliación y Arbitraje', 'Recaudación de Rentas del Estado',
] as const;

/** Agencies of the Tijuana municipal administration. */
export const TIJUANA_AGENCIES = [
  'Tesorería Municipal', 'Secretaría de Desarrollo Territorial, Urbano y Ambiental', 'Dirección de Bomberos',
  'Secretaría de Seguridad y Protección Ciudadana Municipal', 'Dirección de Atención Ciudadana', 'Registro Civil Municipal',
  'DIF Municipal', 'Dirección de Obras e Infraestructura Urbana', 'Dirección de Catastro', 'Dirección de Protección Civil',
  'Dirección de Servicios Públicos Municipales', 'Delegación Playas de Tijuana', 'Delegación La Mesa', 'Delegación Otay Centenario',
] as const;

/** The 23 municipal agencies of Benito Juárez (Cancún) whose staff certified in EC0105 through CECATI 149. */
export const BENITO_JUAREZ_AGENCIES = [
  'Tesorería Municipal', 'Dirección de Catastro', 'Dirección de Desarrollo Urbano', 'Dirección de Ecología',
  'Dirección de Servicios Públicos', 'Dirección de Tránsito', 'Dirección de Protección Civil', 'Contraloría Municipal',
  'Dirección de Ingresos', 'Dirección de Fiscalización', 'Instituto Municipal de la Mujer', 'Instituto Municipal de la Juventud',
  'DIF Municipal', 'Dirección de Salud Municipal', 'Dirección de Educación', 'Instituto de la Cultura y las Artes',
  'Instituto del Deporte', 'Dirección de Turismo', 'Dirección de Desarrollo Social', 'Secretaría General del Ayuntamiento',
  'Dirección de Atención Ciudadana', 'Unidad de Transparencia', 'Dirección de Recursos Humanos',
] as const;

/** Agencies elsewhere, for recent programs in other standards. */
export const OTHER_AGENCIES: ReadonlyArray<{ state: string; municipality?: string; agency: string }> = [
  { state: 'JC', agency: 'Secretaría de Administración' },
  { state: 'JC', municipality: 'Guadalajara', agency: 'Dirección de Capacitación Municipal' },
  { state: 'NL', agency: 'Secretaría de Finanzas y Tesorería General del Estado' },
  { state: 'NL', municipality: 'Monterrey', agency: 'Dirección de Recursos Humanos' },
  { state: 'DF', agency: 'Secretaría de Administración y Finanzas' },
  { state: 'QR', agency: 'Secretaría de la Contraloría' },
  { state: 'QR', municipality: 'Othón P. Blanco', agency: 'Dirección de Atención Ciudadana' },
];

/** States of birth used in CURPs (most demo public servants were born where they work). */
export const BIRTH_STATES = ['BC', 'BC', 'BC', 'SR', 'SL', 'JC', 'MN', 'DF', 'QR', 'QR', 'YN', 'CS', 'VZ', 'OC', 'NL', 'DG'] as const;

/** Municipal agencies of Othón P. Blanco (Chetumal), Quintana Roo. */
export const OTHON_P_BLANCO_AGENCIES = [
  'Tesorería Municipal de Othón P. Blanco',
  'Dirección de Desarrollo Urbano y Catastro',
  'Dirección de Seguridad Pública y Tránsito',
  'Sistema DIF Municipal de Othón P. Blanco',
  'Dirección de Atención Ciudadana',
  'Oficialía Mayor del Ayuntamiento',
] as const;
