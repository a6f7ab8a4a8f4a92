import mexico from '/console/vendor/mexico.js';
import { ENGLISH } from '/console/console-en.js';
import { base64Bytes, ProofFailure, sameBytes, verifyCertificateBundle, verifyConsistency } from '/console/log-proof.js';

// The comptrollers' console: reads the ledger's HTTP API with the caller's token, like any client, and shows it.
// Text only (textContent), never markup from an answer. The token stays in this tab (sessionStorage).
const TOKEN = 'ledger.console.token';
const FILTERS = ['state', 'standard', 'providerId', 'employment', 'issuedFrom', 'issuedTo'];
const LANGUAGE = 'ledger.console.language';
let language = localStorage.getItem(LANGUAGE) === 'en' ? 'en' : 'es';
/** A word of the console in the language chosen: Spanish as written, or its English. */
const t = (text) => (language === 'en' && ENGLISH[text]) || text;
let NUMBER;
let PERCENT;
let MONTH;
let LONG_DATE;
let DATE_TIME;
function useLocale() {
  const locale = language === 'en' ? 'en-US' : 'es-MX';
  NUMBER = new Intl.NumberFormat(locale);
  PERCENT = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  MONTH = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  LONG_DATE = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'America/Mexico_City' });
  DATE_TIME = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Mexico_City' });
}
useLocale();
const ROLES = { comptroller: 'Contraloría', authority: 'Autoridad', certifier: 'Certificadora', registrar: 'Centro de evaluación', evaluator: 'Evaluador', privacy: 'Unidad de transparencia' };
const EMPLOYMENT = { base: 'Base', confianza: 'Confianza', honorarios: 'Honorarios', other: 'Otra' };
const FINDING_KINDS = {
  issued_soon_after_enrollment: 'Emitido demasiado pronto tras la inscripción',
  evaluator_daily_volume: 'Demasiados juicios de un evaluador en un día',
  evaluator_never_not_yet_competent: 'Evaluador sin ningún «todavía no competente»',
  shared_evidence_digest: 'Una misma evidencia para varios candidatos',
  provider_volume_outside_batch: 'Emisión una por una muy por encima de lo usual',
};
const SEVERITY = { high: 'Alta', medium: 'Media' };
const STATUS = { valid: 'Vigente', revoked: 'Revocado', expired: 'Vencido' };
const VIEWS = ['panorama', 'certificados', 'folio', 'auditoria', 'reportes'];
const AUDIT_FILTERS = ['actorId', 'role', 'organizationId', 'type', 'from', 'to', 'subjectId'];
const CERTIFICATE_FILTERS = ['state', 'municipality', 'standard', 'providerId', 'status'];
const STEPS = {
  CandidateEnrolled: 'Inscripción',
  TrainingRecorded: 'Capacitación',
  EvaluationRecorded: 'Evaluación',
  FolioAssigned: 'Asignación del folio',
  CertificateIssued: 'Emisión del certificado',
  CertificateRevoked: 'Revocación',
};

/** @svg-maps/mexico's ids (ISO 3166-2:MX) and the ledger's state codes (libs/domain/src/shared/states.ts). */
const MAP_CODES = {
  agu: 'AS', bcn: 'BC', bcs: 'BS', cam: 'CC', chp: 'CS', chh: 'CH', coa: 'CL', col: 'CM', dur: 'DG', gua: 'GT', gro: 'GR',
  hid: 'HG', jal: 'JC', cmx: 'CMX', mex: 'MC', mic: 'MN', mor: 'MS', nay: 'NT', nle: 'NL', oax: 'OC', pue: 'PL', que: 'QT',
  roo: 'QR', slp: 'SP', sin: 'SL', son: 'SR', tab: 'TC', tam: 'TS', tla: 'TL', ver: 'VZ', yuc: 'YN', zac: 'ZS',
};
const SVG = 'http://www.w3.org/2000/svg';

const byId = (id) => document.getElementById(id);

const originalText = new WeakMap();
const originalAttributes = new WeakMap();
const TRANSLATED_ATTRIBUTES = ['aria-label', 'placeholder'];

/** The page's own words in the language chosen (the answers' data are shown as they are). */
function translatePage() {
  document.documentElement.lang = language === 'en' ? 'en' : 'es-MX';
  if (!originalText.has(document)) originalText.set(document, document.title);
  document.title = t(originalText.get(document));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('[data-live], code, tbody, #who, #position, #verdict, #timeline, #folio-summary, #log-proof, #report-summary, .error, .figure')) continue;
    if (!originalText.has(node)) originalText.set(node, node.nodeValue);
    const original = originalText.get(node);
    const trimmed = original.trim();
    if (trimmed !== '') node.nodeValue = original.replace(trimmed, t(trimmed));
  }
  for (const element of document.body.querySelectorAll(TRANSLATED_ATTRIBUTES.map((name) => `[${name}]`).join(','))) {
    if (element.closest('tbody, #map')) continue;
    if (!originalAttributes.has(element)) originalAttributes.set(element, Object.fromEntries(TRANSLATED_ATTRIBUTES.map((name) => [name, element.getAttribute(name)])));
    for (const [name, value] of Object.entries(originalAttributes.get(element))) if (value !== null) element.setAttribute(name, t(value));
  }
  const toggle = byId('language');
  toggle.textContent = language === 'en' ? 'Español' : 'English';
  toggle.lang = language === 'en' ? 'es' : 'en';
}
const charts = new Map();
let lowestPosition = null;

class SignedOut extends Error {}

/** The token's claims, for display only: the ledger checks the token on every request. */
function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(payload), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    const claims = JSON.parse(json);
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

async function api(path) {
  const token = sessionStorage.getItem(TOKEN);
  if (!token) throw new SignedOut('');
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, credentials: 'omit' });
  const position = response.headers.get('Ledger-Position');
  if (position !== null && /^\d+$/.test(position) && (lowestPosition === null || BigInt(position) < BigInt(lowestPosition))) lowestPosition = position;
  const body = await response.json().catch(() => null);
  if (response.status === 401) throw new SignedOut(t('El token no es válido o ya venció: pida uno nuevo.'));
  if (response.status === 403) throw new SignedOut(t('Este token no permite consultar la consola: se necesita el rol de contraloría.'));
  if (!response.ok) throw new Error((body && body.detail) || `El registro respondió ${response.status}.`);
  return body;
}

function filtersFromUrl(names = FILTERS) {
  const params = new URLSearchParams(window.location.search);
  return Object.fromEntries(names.map((name) => [name, (params.get(name) || '').trim()]).filter(([, value]) => value !== ''));
}

const param = (name) => (new URLSearchParams(window.location.search).get(name) || '').trim();
const longDate = (instant) => (instant && Number.isFinite(Date.parse(instant)) ? LONG_DATE.format(new Date(instant)) : '—');
const dateTime = (instant) => (instant && Number.isFinite(Date.parse(instant)) ? DATE_TIME.format(new Date(instant)) : '—');

function navigate(url) {
  window.history.pushState(null, '', url);
  translatePage();
void show();
}

function failure(id, error) {
  if (error instanceof SignedOut) throw error;
  const node = byId(id);
  node.textContent = error.message;
  node.hidden = false;
}

/** A download of bytes already in the page, under a name. */
function save(bytes, type, name) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A CSV cell: quoted when it must be, and never read as a formula by a spreadsheet. */
function csvCell(value) {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function queryOf(filters, extra = {}) {
  const params = new URLSearchParams({ ...filters, ...extra });
  return params.toString();
}

/** The answer's exact bytes, for downloads that must equal what the API gives. */
async function apiBytes(path) {
  const token = sessionStorage.getItem(TOKEN);
  if (!token) throw new SignedOut('');
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, credentials: 'omit' });
  if (response.status === 401 || response.status === 403) throw new SignedOut('El token ya no permite esta consulta.');
  const bytes = await response.arrayBuffer();
  if (!response.ok) throw new Error(`El registro respondió ${response.status}.`);
  const disposition = response.headers.get('Content-Disposition') || '';
  const name = (/filename="([^"]+)"/.exec(disposition) || [])[1];
  return { bytes, type: response.headers.get('Content-Type') || 'application/octet-stream', name };
}

async function stats(filters, extra) {
  return api(`/v1/stats/certifications?${queryOf(filters, extra)}`);
}

const total = (answer) => answer.groups.reduce((sum, group) => sum + group.count, 0);

function chart(id, option) {
  const element = byId(id);
  let instance = charts.get(id);
  if (!instance) {
    instance = window.echarts.init(element, null, { renderer: 'svg' });
    charts.set(id, instance);
  }
  instance.setOption({ animation: false, grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true }, tooltip: { trigger: 'item' }, ...option }, true);
}

function bars(id, groups, labelOf, { horizontal = false } = {}) {
  const sorted = [...groups].sort((a, b) => b.count - a.count).slice(0, 32);
  const labels = sorted.map((group) => labelOf(group.key));
  const values = sorted.map((group) => group.count);
  const category = { type: 'category', data: horizontal ? [...labels].reverse() : labels, axisLabel: { interval: 0, width: 160, overflow: 'truncate' } };
  const value = { type: 'value' };
  chart(id, {
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: [{ type: 'bar', data: horizontal ? [...values].reverse() : values, itemStyle: { color: '#6b1733' } }],
  });
}

/** Mexico's states shaded by their certificates; choosing one filters the panorama by it. */
function drawMap(groups) {
  const map = byId('map');
  const counts = new Map(groups.map((group) => [group.key.state, group.count]));
  const highest = Math.max(1, ...counts.values());
  map.setAttribute('viewBox', mexico.viewBox);
  map.replaceChildren();
  for (const location of mexico.locations) {
    const code = MAP_CODES[location.id];
    const count = counts.get(code) || 0;
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', location.path);
    path.setAttribute('data-state', code);
    path.setAttribute('tabindex', '0');
    path.setAttribute('role', 'link');
    path.setAttribute('aria-label', `${location.name}: ${NUMBER.format(count)} certificados`);
    // From pale to the accent colour, by the share of the state with the most.
    const share = count / highest;
    path.setAttribute('fill', count === 0 ? '#ebe8e2' : `rgb(${Math.round(236 - share * 129)}, ${Math.round(214 - share * 191)}, ${Math.round(220 - share * 169)})`);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${location.name}: ${NUMBER.format(count)}`;
    path.append(title);
    map.append(path);
  }
}

function filterByState(code) {
  const filters = { ...filtersFromUrl(), state: code };
  navigate(`/console?${queryOf(filters)}`);
}

function showWho() {
  const claims = claimsOf(sessionStorage.getItem(TOKEN) || '') || {};
  const scope = claims.jurisdiction ? `${t('estado')} ${claims.jurisdiction}` : t('todo el país');
  byId('who').textContent = `${claims.sub || '—'} · ${t(ROLES[claims.role] || claims.role || '—')} · ${claims.org || '—'} · ${scope}`;
  byId('session').hidden = false;
}

function showPosition() {
  byId('position').textContent = lowestPosition === null ? '' : `${t('Posición del registro')}: ${NUMBER.format(BigInt(lowestPosition))}`;
}

async function panorama() {
  const filters = filtersFromUrl();
  const form = byId('filters');
  for (const name of FILTERS) form.elements[name].value = filters[name] || '';
  byId('panorama-error').hidden = true;
  const [all, valid, revoked, expired, month, state, employment, standard, provider, programs, findings] = await Promise.all([
    stats(filters),
    stats(filters, { status: 'valid' }),
    stats(filters, { status: 'revoked' }),
    stats(filters, { status: 'expired' }),
    stats(filters, { groupBy: 'month' }),
    stats(filters, { groupBy: 'state' }),
    stats(filters, { groupBy: 'employment' }),
    stats(filters, { groupBy: 'standard' }),
    stats(filters, { groupBy: 'provider' }),
    api('/v1/programs?limit=100'),
    api('/v1/audit/findings?limit=20'),
  ]);
  byId('total-all').textContent = NUMBER.format(total(all));
  byId('total-valid').textContent = NUMBER.format(total(valid));
  byId('total-revoked').textContent = NUMBER.format(total(revoked));
  byId('total-expired').textContent = NUMBER.format(total(expired));
  const months = [...month.groups].sort((a, b) => (a.key.month < b.key.month ? -1 : 1));
  chart('chart-month', {
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: months.map((group) => MONTH.format(new Date(`${group.key.month}-01T00:00:00Z`))) },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: months.map((group) => group.count), itemStyle: { color: '#6b1733' } }],
  });
  bars('chart-state', state.groups, (key) => key.state || '—', { horizontal: true });
  drawMap(state.groups);
  chart('chart-employment', {
    series: [{ type: 'pie', radius: ['35%', '70%'], data: employment.groups.map((group) => ({ name: t(EMPLOYMENT[group.key.employment] || '—'), value: group.count })), label: { formatter: '{b}: {d} %' } }],
  });
  bars('chart-standard', standard.groups, (key) => key.standard || '—');
  bars('chart-provider', provider.groups, (key) => key.provider || '—', { horizontal: true });
  renderPrograms(programs.items);
  renderFindings(findings.items);
  showPosition();
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function renderPrograms(items) {
  const body = byId('programs');
  body.replaceChildren();
  if (items.length === 0) return void cell(body.insertRow(), t('Ningún programa registrado.')).setAttribute('colspan', '5');
  for (const program of items) {
    const row = body.insertRow();
    cell(row, program.name);
    cell(row, [program.jurisdiction.state, program.jurisdiction.municipality].filter(Boolean).join(', '));
    cell(row, NUMBER.format(program.targetCount), 'number');
    cell(row, NUMBER.format(program.certified), 'number');
    const progress = cell(row, '');
    const bar = document.createElement('progress');
    bar.max = 1;
    bar.value = Math.min(1, program.shareOfTarget);
    bar.setAttribute('aria-label', `Avance de ${program.name}`);
    const label = document.createElement('span');
    label.textContent = ` ${PERCENT.format(program.shareOfTarget)}`;
    progress.append(bar, label);
  }
}

function renderFindings(items) {
  const body = byId('findings');
  body.replaceChildren();
  if (items.length === 0) return void cell(body.insertRow(), t('Ningún hallazgo.')).setAttribute('colspan', '4');
  for (const finding of items) {
    const row = body.insertRow();
    cell(row, t(SEVERITY[finding.severity] || finding.severity), `severity ${finding.severity}`);
    cell(row, t(FINDING_KINDS[finding.kind] || finding.kind));
    cell(row, finding.occurredOn || '—');
    cell(row, findingSummary(finding));
  }
}

/**
 * A finding said in the console's language: in Spanish from its kind and figures (the API's summary is the
 * ledger's English, the same for every client), or the API's summary as it is in English and for a kind not known here.
 */
function findingSummary(finding) {
  const d = finding.details || {};
  const n = (value) => (typeof value === 'number' ? NUMBER.format(value) : String(value ?? '?'));
  const day = finding.occurredOn ? longDate(`${finding.occurredOn}T12:00:00Z`) : '—';
  if (language === 'en') return finding.summary;
  switch (finding.kind) {
    case 'evaluator_daily_volume':
      return `El evaluador ${finding.evaluatorId} registró ${n(d.judgments)} juicios el ${day} (hora de la Ciudad de México), más de los ${n(d.threshold)} que un evaluador puede hacer en un día hábil.`;
    case 'evaluator_never_not_yet_competent':
      return `El evaluador ${finding.evaluatorId} juzgó competentes a sus primeros ${n(d.threshold)} candidatos, ninguno «todavía no competente».`;
    case 'shared_evidence_digest':
      return `La huella de evidencia ${String(d.digest || '').slice(0, 19)}… se presentó para ${n(d.candidates)} candidatos distintos (${n(d.judgments)} juicios): un portafolio no puede ser la evidencia de varias personas.`;
    case 'issued_soon_after_enrollment':
      return `El certificado ${d.folio || finding.subjectId} se emitió ${n(d.hoursAfterEnrollment)} horas después de su inscripción, menos de los ${n(d.thresholdDays)} días que toman una evaluación y su emisión.`;
    case 'provider_volume_outside_batch':
      return `El prestador ${finding.providerId} emitió ${n(d.issued)} certificados uno por uno el ${day}, fuera de todo lote; lo usual son ${n(d.usualPerDay)} al día.`;
    default:
      return finding.summary;
  }
}

let shownCertificates = [];

async function certificados() {
  const filters = filtersFromUrl(CERTIFICATE_FILTERS);
  const form = byId('certificate-filters');
  for (const name of CERTIFICATE_FILTERS) form.elements[name].value = filters[name] || '';
  byId('certificados-error').hidden = true;
  const cursor = param('cursor');
  let page;
  try {
    page = await api(`/v1/certificates?${queryOf(filters, { limit: '50', ...(cursor ? { cursor } : {}) })}`);
  } catch (error) {
    return failure('certificados-error', error);
  }
  shownCertificates = page.items;
  const body = byId('certificate-rows');
  body.replaceChildren();
  if (page.items.length === 0) cell(body.insertRow(), t('Ningún certificado con estos filtros.')).setAttribute('colspan', '8');
  for (const item of page.items) {
    const row = body.insertRow();
    const folio = cell(row, '');
    const link = document.createElement('a');
    link.href = `/console?view=folio&folio=${encodeURIComponent(item.folio)}`;
    link.textContent = item.folio;
    folio.append(link);
    cell(row, item.holderName || t('Nombre suprimido'));
    cell(row, item.standardCode);
    cell(row, item.providerId);
    cell(row, item.agency || '—');
    cell(row, [item.jurisdiction && item.jurisdiction.state, item.jurisdiction && item.jurisdiction.municipality].filter(Boolean).join(', '));
    cell(row, longDate(item.issuedAt));
    cell(row, t(STATUS[item.status] || item.status), `status ${item.status}`);
  }
  const next = byId('next-page');
  next.hidden = !page.nextCursor;
  if (page.nextCursor) next.href = `/console?${queryOf({ view: 'certificados', ...filters, cursor: page.nextCursor })}`;
}

async function folio() {
  const wanted = param('folio');
  byId('folio-form').elements.folio.value = wanted;
  byId('folio-error').hidden = true;
  byId('timeline').replaceChildren();
  byId('folio-summary').textContent = '';
  byId('log-proof').textContent = '';
  byId('log-proof').className = 'proof';
  if (!wanted) return;
  let provenance;
  try {
    provenance = await api(`/v1/audit/certificates/${encodeURIComponent(wanted)}/provenance`);
  } catch (error) {
    return failure('folio-error', error);
  }
  byId('folio-summary').textContent = `Folio ${provenance.folio} · ${provenance.standardCode} · titular ${provenance.subjectId.slice(0, 12)}…`;
  const steps = [provenance.enrollment, ...provenance.trainings, ...provenance.evaluations, provenance.folioAssignment, provenance.issuance, provenance.revocation]
    .filter(Boolean)
    .sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  const list = byId('timeline');
  for (const step of steps) {
    const item = document.createElement('li');
    item.dataset.position = step.position;
    const title = document.createElement('p');
    title.className = `step${step.type === 'CertificateRevoked' ? ' revocation' : ''}`;
    const details = step.details || {};
    const extra = step.type === 'EvaluationRecorded' ? ` · ${t(details.result === 'competent' ? 'competente' : 'todavía no competente')}`
      : step.type === 'CertificateRevoked' ? ` · ${t('motivo')}: ${details.reason || '—'}`
      : step.type === 'TrainingRecorded' ? ` · ${details.hours || '?'} ${t('horas')}` : '';
    title.textContent = `${t(STEPS[step.type] || step.type)}${extra}`;
    const meta = document.createElement('p');
    meta.className = 'meta';
    const actor = step.actor || {};
    meta.textContent = `${dateTime(step.occurredAt)} · ${actor.id || '—'} (${t(ROLES[actor.role] || actor.role || '—')}, ${actor.organizationId || '—'}) · ${t('Posición').toLowerCase()} ${step.position}`;
    item.append(title, meta);
    if (step.accreditation) {
      const credential = document.createElement('p');
      credential.className = 'meta';
      const a = step.accreditation;
      credential.textContent = `Cédula ${a.credentialFolio} de ${a.providerId}, vigente ${a.validFrom || '—'} a ${a.validUntil}: ${a.inForce ? 'en vigor ese día' : 'NO estaba en vigor ese día'}`;
      item.append(credential);
    }
    list.append(item);
  }
  await proveInBrowser(provenance.folio);
}

const LOG_KEY = 'ledger.console.logKey';
const LOG_CHECKPOINT = 'ledger.console.logCheckpoint';
/** What each of log-proof.js's failures means, said to a comptroller; the verifier's own sentence follows it. */
const PROOF_FAILURES = {
  KEY: 'la clave del registro no se puede leer',
  NO_ED25519: 'este navegador no puede comprobar firmas Ed25519',
  NOTE: 'el punto de control o el estado no están firmados por la clave del registro',
  SIGNATURE: 'el punto de control o el estado no están firmados por la clave del registro',
  CHECKPOINT: 'el punto de control no es de este registro',
  STATUS: 'el estado firmado no corresponde a estas entradas',
  ENTRY: 'una entrada no es la que el registro firmó',
  INCLUSION: 'una entrada no está en el árbol firmado',
  HISTORY: 'las entradas no son la historia de un solo certificado',
  BUNDLE: 'la respuesta no es un paquete de prueba',
};
const PROOF_ROLES = { issuance: 'la emisión', enrollment: 'la inscripción', judgment: 'el juicio', accreditation: 'la acreditación del evaluador', revocation: 'la revocación' };

/** A public route's text; a refusal becomes an Error with the problem's code and the seconds to wait, if any. */
async function publicText(path) {
  const response = await fetch(path, { credentials: 'omit' });
  const body = await response.text();
  if (!response.ok) {
    let problem = {};
    try {
      problem = JSON.parse(body) || {};
    } catch {
      problem = {};
    }
    const error = new Error(problem.detail || `El registro respondió ${response.status}.`);
    error.code = problem.code;
    error.retryAfter = Number(response.headers.get('Retry-After')) || 0;
    throw error;
  }
  return body;
}

/** The bundle once a signed checkpoint covers the certificate: the log signs one every few seconds. */
async function proofBundle(folio) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await publicText(`/v1/public/certificates/${encodeURIComponent(folio)}/proof`);
    } catch (error) {
      if (error.code !== 'PROOF_NOT_YET_AVAILABLE' || attempt >= 10 || param('folio') !== folio) throw error;
      byId('log-proof').textContent = t('El certificado aún no está en un punto de control firmado; se vuelve a intentar en unos segundos…');
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(error.retryAfter, 1), 30) * 1000));
    }
  }
}

/**
 * The certificate's proof bundle, checked here with Web Crypto (log-proof.js): signatures, leaf hashes, inclusion
 * proofs, one history. The log key is remembered in this browser the first time (a later, different key is refused
 * with a warning), and so is the largest checkpoint seen: a later one must be proven consistent with it.
 */
async function proveInBrowser(folio) {
  const box = byId('log-proof');
  box.className = 'proof';
  box.textContent = t('Comprobando en este navegador la prueba del registro verificable…');
  let proven;
  try {
    const [keyText, bundleText] = await Promise.all([publicText('/v1/log/key'), proofBundle(folio)]);
    const remembered = localStorage.getItem(LOG_KEY);
    if (remembered && remembered !== keyText.trim()) {
      throw new Error(`${t('La clave del registro cambió desde su última visita')} (${remembered.split('+')[1]} → ${keyText.trim().split('+')[1]}): ${t('no se confía en ella sin confirmarlo con el operador')}`);
    }
    proven = await verifyCertificateBundle(bundleText, keyText);
    await consistentWithLastSeen(proven.checkpoint);
    if (!remembered) localStorage.setItem(LOG_KEY, keyText.trim());
  } catch (error) {
    box.className = 'proof error';
    box.setAttribute('role', 'alert');
    const why = error instanceof ProofFailure ? `${t(PROOF_FAILURES[error.code] || PROOF_FAILURES.BUNDLE)} (${error.message})` : error.message;
    box.textContent = `✗ ${t('La prueba del registro verificable no se comprobó')}: ${why}`;
    return;
  }
  box.removeAttribute('role');
  box.className = 'proof verified';
  const which = proven.entries.map((entry) => `${t(PROOF_ROLES[entry.role])} (${t('hoja')} ${NUMBER.format(entry.leafIndex)})`).join(', ');
  box.textContent = `✓ ${t('Comprobado en este navegador')}: ${which} ${t('están en el árbol de')} ${NUMBER.format(proven.checkpoint.treeSize)} ${t('hojas firmado por')} ${proven.checkpoint.origin} (${t('clave')} ${proven.keyId}); ${t('estado firmado')}: ${t(STATUS[proven.status] || proven.status)} (${dateTime(proven.asOf)})`;
  for (const entry of proven.entries) {
    const step = document.querySelector(`#timeline li[data-position="${entry.position}"]`);
    if (!step) continue;
    const badge = document.createElement('p');
    badge.className = 'in-log';
    badge.textContent = `✓ ${t('En el registro verificable')}, ${t('hoja')} ${NUMBER.format(entry.leafIndex)}`;
    step.append(badge);
  }
}

/** The largest checkpoint this browser saw must be a prefix of the one just verified (or the reverse): the log only grew. */
async function consistentWithLastSeen(checkpoint) {
  let seen;
  try {
    seen = JSON.parse(localStorage.getItem(LOG_CHECKPOINT) || 'null');
  } catch {
    seen = null;
  }
  const seenRoot = seen && Number.isSafeInteger(seen.treeSize) && seen.treeSize > 0 ? base64Bytes(seen.rootHash) : undefined;
  const current = { treeSize: checkpoint.treeSize, rootHash: btoa(String.fromCharCode(...checkpoint.rootHash)) };
  if (seenRoot && seen.treeSize !== checkpoint.treeSize) {
    const [small, large] = seen.treeSize < checkpoint.treeSize ? [{ size: seen.treeSize, root: seenRoot }, { size: checkpoint.treeSize, root: checkpoint.rootHash }] : [{ size: checkpoint.treeSize, root: checkpoint.rootHash }, { size: seen.treeSize, root: seenRoot }];
    const answer = JSON.parse(await publicText(`/v1/log/proofs/consistency?from=${small.size}&to=${large.size}`));
    const proof = Array.isArray(answer.hashes) ? answer.hashes.map(base64Bytes) : [];
    if (!(await verifyConsistency({ size1: small.size, size2: large.size, root1: small.root, root2: large.root, proof }))) {
      throw new Error(`${t('el registro no es consistente con el punto de control que este navegador vio antes')} (${NUMBER.format(seen.treeSize)} ${t('hojas')}): ${t('su historia pudo reescribirse')}`);
    }
  } else if (seenRoot && !sameBytes(seenRoot, checkpoint.rootHash)) {
    throw new Error(`${t('dos puntos de control firmados de')} ${NUMBER.format(seen.treeSize)} ${t('hojas con raíces distintas: una historia bifurcada')}`);
  }
  if (!seenRoot || checkpoint.treeSize > seen.treeSize) localStorage.setItem(LOG_CHECKPOINT, JSON.stringify(current));
}

/** The audit trail with its filters, or one person's timeline (by subjectId, never by CURP). */
async function auditoria() {
  const filters = filtersFromUrl(AUDIT_FILTERS);
  const form = byId('audit-filters');
  for (const name of AUDIT_FILTERS) form.elements[name].value = filters[name] || '';
  byId('auditoria-error').hidden = true;
  const cursor = param('cursor');
  const { subjectId, ...trail } = filters;
  const paging = { limit: '50', ...(cursor ? { cursor } : {}) };
  let page;
  try {
    page = subjectId
      ? await api(`/v1/people/${encodeURIComponent(subjectId)}/timeline?${queryOf(paging)}`)
      : await api(`/v1/audit/events?${queryOf(trail, paging)}`);
  } catch (error) {
    return failure('auditoria-error', error);
  }
  const body = byId('audit-rows');
  body.replaceChildren();
  if (page.items.length === 0) cell(body.insertRow(), t('Ningún evento con estos filtros.')).setAttribute('colspan', '5');
  for (const event of page.items) {
    const row = body.insertRow();
    cell(row, event.position, 'number');
    cell(row, STEPS[event.type] ? `${t(STEPS[event.type])} (${event.type})` : event.type);
    cell(row, event.stream);
    cell(row, dateTime(event.occurredAt));
    const actor = event.actor || {};
    cell(row, `${actor.id || '—'} · ${t(ROLES[actor.role] || actor.role || '—')} · ${actor.organizationId || '—'}`);
  }
  const next = byId('audit-next');
  next.hidden = !page.nextCursor;
  if (page.nextCursor) next.href = `/console?${queryOf({ view: 'auditoria', ...filters, cursor: page.nextCursor })}`;
}

let shownReport = null;

async function reportes() {
  const form = byId('report-form');
  const query = { asOf: param('asOf'), atPosition: param('atPosition'), state: param('state') };
  for (const [name, value] of Object.entries(query)) form.elements[name].value = value;
  byId('reportes-error').hidden = true;
  byId('report-downloads').hidden = true;
  byId('report-rows').replaceChildren();
  byId('report-summary').textContent = '';
  if (!query.asOf) return;
  const parameters = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
  let report;
  try {
    report = await api(`/v1/reports/transparency?${queryOf(parameters, { format: 'json' })}`);
  } catch (error) {
    return failure('reportes-error', error);
  }
  shownReport = parameters;
  const day = longDate(`${report.asOf.slice(0, 10)}T18:00:00Z`);
  const [valid, revoked, expired] = [report.totals.valid, report.totals.revoked, report.totals.expired].map((count) => NUMBER.format(count));
  byId('report-summary').textContent = language === 'en'
    ? `As of ${day}, at position ${report.position}: ${valid} valid, ${revoked} revoked, ${expired} expired.`
    : `Al ${day}, a la posición ${report.position}: ${valid} vigentes, ${revoked} revocados, ${expired} vencidos.`;
  const body = byId('report-rows');
  for (const item of report.certificates.slice(0, 200)) {
    const row = body.insertRow();
    cell(row, item.folio);
    cell(row, item.holderName || t('Nombre suprimido'));
    cell(row, item.standardCode);
    cell(row, item.providerId);
    cell(row, [item.jurisdiction.state, item.jurisdiction.municipality].filter(Boolean).join(', '));
    cell(row, longDate(item.issuedAt));
    cell(row, t(STATUS[item.status] || item.status), `status ${item.status}`);
  }
  byId('report-downloads').hidden = false;
}

async function downloadReport(format) {
  if (!shownReport) return;
  try {
    const { bytes, type, name } = await apiBytes(`/v1/reports/transparency?${queryOf({ ...shownReport, format })}`);
    save(bytes, type, name || `transparencia.${format}`);
  } catch (error) {
    failure('reportes-error', error);
  }
}

function signIn(message = '') {
  sessionStorage.removeItem(TOKEN);
  byId('session').hidden = true;
  byId('nav').hidden = true;
  for (const view of VIEWS) byId(view).hidden = true;
  byId('sign-in').hidden = false;
  const error = byId('sign-in-error');
  error.textContent = message;
  error.hidden = message === '';
  byId('token').focus();
}

async function show() {
  if (!sessionStorage.getItem(TOKEN)) return signIn();
  byId('sign-in').hidden = true;
  showWho();
  const view = VIEWS.includes(param('view')) ? param('view') : 'panorama';
  byId('nav').hidden = false;
  for (const link of byId('nav').querySelectorAll('a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  for (const other of VIEWS) byId(other).hidden = other !== view;
  lowestPosition = null;
  try {
    if (view === 'panorama') await panorama();
    else if (view === 'certificados') await certificados();
    else if (view === 'folio') await folio();
    else if (view === 'auditoria') await auditoria();
    else await reportes();
    showPosition();
    // The moment the view holds its figures: what `npm run bench:console` measures as the first view.
    performance.mark(`view:${view}`);
  } catch (error) {
    if (error instanceof SignedOut) return signIn(error.message);
    const node = byId('panorama-error');
    node.textContent = error.message;
    node.hidden = false;
  }
}

byId('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = byId('token').value.trim();
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) || claimsOf(token) === null) return signIn(t('Eso no parece un token: cópielo completo, sin espacios.'));
  sessionStorage.setItem(TOKEN, token);
  byId('token').value = '';
  void show();
});

byId('sign-out').addEventListener('click', () => signIn());

byId('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const filters = Object.fromEntries(FILTERS.map((name) => [name, form.elements[name].value.trim()]).filter(([, value]) => value !== ''));
  const query = queryOf(filters);
  window.history.pushState(null, '', `/console${query ? `?${query}` : ''}`);
  void show();
});

byId('nav').addEventListener('click', (event) => {
  const link = event.target.closest('a');
  if (!link) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});

byId('certificate-rows').addEventListener('click', (event) => {
  const link = event.target.closest('a');
  if (!link) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});

byId('next-page').addEventListener('click', (event) => {
  event.preventDefault();
  navigate(byId('next-page').getAttribute('href'));
});

byId('certificate-filters').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const filters = Object.fromEntries(CERTIFICATE_FILTERS.map((name) => [name, form.elements[name].value.trim()]).filter(([, value]) => value !== ''));
  navigate(`/console?${queryOf({ view: 'certificados', ...filters })}`);
});

byId('folio-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = event.currentTarget.elements.folio.value.trim();
  navigate(`/console?${queryOf({ view: 'folio', ...(value ? { folio: value } : {}) })}`);
});

byId('report-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const parameters = Object.fromEntries(['asOf', 'atPosition', 'state'].map((name) => [name, form.elements[name].value.trim()]).filter(([, value]) => value !== ''));
  navigate(`/console?${queryOf({ view: 'reportes', ...parameters })}`);
});

byId('audit-filters').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const filters = Object.fromEntries(AUDIT_FILTERS.map((name) => [name, form.elements[name].value.trim()]).filter(([, value]) => value !== ''));
  navigate(`/console?${queryOf({ view: 'auditoria', ...filters })}`);
});

byId('audit-next').addEventListener('click', (event) => {
  event.preventDefault();
  navigate(byId('audit-next').getAttribute('href'));
});

byId('report-csv').addEventListener('click', () => void downloadReport('csv'));
byId('report-json').addEventListener('click', () => void downloadReport('json'));

byId('download-json').addEventListener('click', () => {
  save(JSON.stringify(shownCertificates, null, 2), 'application/json', 'certificados.json');
});

byId('download-csv').addEventListener('click', () => {
  const columns = ['folio', 'holderName', 'standardCode', 'providerId', 'agency', 'state', 'municipality', 'employment', 'issuedAt', 'validUntil', 'status'];
  const lines = [columns.join(','), ...shownCertificates.map((item) => columns.map((column) => csvCell(column === 'state' || column === 'municipality' ? item.jurisdiction && item.jurisdiction[column] : item[column])).join(','))];
  save(`${lines.join('\r\n')}\r\n`, 'text/csv', 'certificados.csv');
});

byId('map').addEventListener('click', (event) => {
  const path = event.target.closest('path');
  if (path) filterByState(path.getAttribute('data-state'));
});

byId('map').addEventListener('keydown', (event) => {
  const path = event.target.closest('path');
  if (path && (event.key === 'Enter' || event.key === ' ')) {
    event.preventDefault();
    filterByState(path.getAttribute('data-state'));
  }
});

byId('language').addEventListener('click', () => {
  language = language === 'en' ? 'es' : 'en';
  localStorage.setItem(LANGUAGE, language);
  useLocale();
  translatePage();
  if (sessionStorage.getItem(TOKEN)) void show();
});

window.addEventListener('popstate', () => void show());
window.addEventListener('resize', () => charts.forEach((instance) => instance.resize()));

void show();
