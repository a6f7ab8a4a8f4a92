// The comptrollers' console: reads the ledger's HTTP API with the caller's token, like any client, and shows it.
// Text only (textContent), never markup from an answer. The token stays in this tab (sessionStorage).
const TOKEN = 'ledger.console.token';
const FILTERS = ['state', 'standard', 'providerId', 'employment', 'issuedFrom', 'issuedTo'];
const NUMBER = new Intl.NumberFormat('es-MX');
const PERCENT = new Intl.NumberFormat('es-MX', { style: 'percent', maximumFractionDigits: 1 });
const MONTH = new Intl.DateTimeFormat('es-MX', { month: 'short', year: 'numeric', timeZone: 'UTC' });
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

const byId = (id) => document.getElementById(id);
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
  if (response.status === 401) throw new SignedOut('El token no es válido o ya venció: pida uno nuevo.');
  if (response.status === 403) throw new SignedOut('Este token no permite consultar la consola: se necesita el rol de contraloría.');
  if (!response.ok) throw new Error((body && body.detail) || `El registro respondió ${response.status}.`);
  return body;
}

function filtersFromUrl() {
  const params = new URLSearchParams(window.location.search);
  return Object.fromEntries(FILTERS.map((name) => [name, (params.get(name) || '').trim()]).filter(([, value]) => value !== ''));
}

function queryOf(filters, extra = {}) {
  const params = new URLSearchParams({ ...filters, ...extra });
  return params.toString();
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

function showWho() {
  const claims = claimsOf(sessionStorage.getItem(TOKEN) || '') || {};
  const scope = claims.jurisdiction ? `estado ${claims.jurisdiction}` : 'todo el país';
  byId('who').textContent = `${claims.sub || '—'} · ${ROLES[claims.role] || claims.role || '—'} · ${claims.org || '—'} · ${scope}`;
  byId('session').hidden = false;
}

function showPosition() {
  byId('position').textContent = lowestPosition === null ? '' : `Posición del registro: ${NUMBER.format(BigInt(lowestPosition))}`;
}

async function panorama() {
  const filters = filtersFromUrl();
  const form = byId('filters');
  for (const name of FILTERS) form.elements[name].value = filters[name] || '';
  byId('panorama').hidden = false;
  byId('panorama-error').hidden = true;
  lowestPosition = null;
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
  chart('chart-employment', {
    series: [{ type: 'pie', radius: ['35%', '70%'], data: employment.groups.map((group) => ({ name: EMPLOYMENT[group.key.employment] || '—', value: group.count })), label: { formatter: '{b}: {d} %' } }],
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
  if (items.length === 0) return void cell(body.insertRow(), 'Ningún programa registrado.').setAttribute('colspan', '5');
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
  if (items.length === 0) return void cell(body.insertRow(), 'Ningún hallazgo.').setAttribute('colspan', '4');
  for (const finding of items) {
    const row = body.insertRow();
    cell(row, SEVERITY[finding.severity] || finding.severity, `severity ${finding.severity}`);
    cell(row, FINDING_KINDS[finding.kind] || finding.kind);
    cell(row, finding.occurredOn || '—');
    cell(row, finding.summary);
  }
}

function signIn(message = '') {
  sessionStorage.removeItem(TOKEN);
  byId('session').hidden = true;
  byId('panorama').hidden = true;
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
  try {
    await panorama();
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
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) || claimsOf(token) === null) return signIn('Eso no parece un token: cópielo completo, sin espacios.');
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

window.addEventListener('popstate', () => void show());
window.addEventListener('resize', () => charts.forEach((instance) => instance.resize()));

void show();
