// The public verification page: reads /v1/public/certificates/{folio} like any client and shows the answer.
// Text only (textContent), never markup from the answer.
(function () {
  'use strict';
  var LONG_DATE = new Intl.DateTimeFormat('es-MX', { dateStyle: 'long', timeZone: 'America/Mexico_City' });
  var byId = function (id) { return document.getElementById(id); };

  // The folio from /verify/{folio}, or from /verify?folio=… (the form, without this script's help).
  function folioInPath() {
    var rest = window.location.pathname.replace(/^\/verify\/?/i, '');
    try {
      var folio = rest !== '' ? decodeURIComponent(rest) : new URLSearchParams(window.location.search).get('folio') || '';
      return folio.trim().slice(0, 64);
    } catch (error) {
      return '';
    }
  }

  function longDate(instant) {
    var time = Date.parse(instant);
    return Number.isFinite(time) ? LONG_DATE.format(new Date(time)) : '—';
  }

  function verdict(text, kind) {
    var node = byId('verdict');
    node.textContent = text;
    node.className = 'verdict ' + kind;
    byId('answer').setAttribute('aria-busy', 'false');
  }

  function show(certificate) {
    var status = certificate.status;
    if (status === 'valid') verdict('Certificado auténtico y vigente', 'genuine');
    else if (status === 'revoked') verdict('Certificado auténtico, pero revocado: ya no acredita la competencia', 'warning');
    else verdict('Certificado auténtico, pero vencido', 'warning');
    byId('folio').textContent = certificate.folio;
    byId('holder').textContent = certificate.holderName || 'Nombre suprimido a solicitud de su titular';
    byId('standard').textContent = [certificate.standardCode, certificate.standardTitle].filter(Boolean).join(' ');
    byId('provider').textContent = certificate.providerName || certificate.providerId;
    byId('issued').textContent = longDate(certificate.issuedAt);
    byId('valid-until').textContent = longDate(certificate.validUntil);
    var statusNode = byId('status');
    statusNode.className = status;
    statusNode.textContent = status === 'valid' ? 'Vigente'
      : status === 'revoked' ? 'Revocado' + (certificate.revokedAt ? ' el ' + longDate(certificate.revokedAt) : '')
      : 'Vencido';
    byId('details').hidden = false;
    byId('document-link').href = '/v1/public/certificates/' + encodeURIComponent(certificate.folio) + '/document';
    byId('document').hidden = false;
  }

  function refused(status, problem) {
    var code = problem && problem.code;
    if (code === 'FOLIO_CHECK') return verdict('El folio tiene un error de captura: revise cada carácter (el último es de control) e inténtelo de nuevo.', 'not-genuine');
    if (status === 404) return verdict('No existe ningún certificado con este folio en el registro: el documento no es auténtico, o el folio está mal escrito.', 'not-genuine');
    if (status === 400) return verdict('Esto no es un folio del registro: un folio tiene la forma XXXX-XXXX-XXXX-X.', 'not-genuine');
    if (status === 429) return verdict('Demasiadas consultas en poco tiempo; espere un minuto e inténtelo de nuevo.', 'pending');
    return verdict('No se pudo consultar el registro en este momento; inténtelo más tarde.', 'pending');
  }

  function check(folio) {
    if (folio === '') return verdict('Escriba el folio impreso en el certificado.', 'pending');
    byId('another-folio').value = folio;
    fetch('/v1/public/certificates/' + encodeURIComponent(folio), { headers: { Accept: 'application/json' }, credentials: 'omit' })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          if (response.ok && body) show(body);
          else refused(response.status, body);
        });
      })
      .catch(function () { refused(0, null); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    byId('another').addEventListener('submit', function (event) {
      event.preventDefault();
      var folio = byId('another-folio').value.trim();
      if (folio !== '') window.location.assign('/verify/' + encodeURIComponent(folio));
    });
    check(folioInPath());
  });
})();
