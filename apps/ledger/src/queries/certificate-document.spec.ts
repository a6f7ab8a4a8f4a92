import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { PublicCertificateView } from '@ledger/read-models';
import { longDateOf, renderCertificateDocument, safeText } from './certificate-document';

const certificate: PublicCertificateView = {
  folio: '7K3M-9QXD-2HBT-B',
  holderName: 'María José Ñúñez Güemes',
  standardCode: 'EC0301',
  standardTitle: 'Diseño de cursos de formación del capital humano de manera presencial grupal, sus instrumentos de evaluación y manuales del curso',
  providerId: 'ECE322-18',
  providerName: 'Entidad de Certificación y Evaluación del Gobierno del Estado de Baja California',
  issuedAt: '2018-11-13T18:00:00.000Z',
  validUntil: '2023-11-13T18:00:00.000Z',
  status: 'valid',
};

describe('the printable certificate', () => {
  it('draws every Spanish letter as it is, another letter without its accents, and anything else as "?"', async () => {
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    expect(safeText('Ñúñez Güemes, Zoë', font)).toBe('Ñúñez Güemes, Zoë');
    expect(safeText('Dvořák Łukasz 李', font)).toBe('Dvorák ?ukasz ?');
    expect(safeText('Ana 😀', font)).toBe('Ana ?');
  });

  it('prints in Mexico City’s calendar: an evening issuance in UTC is still that day there', () => {
    expect(longDateOf('2018-11-13T18:00:00.000Z')).toBe('13 de noviembre de 2018');
    expect(longDateOf('2018-11-14T03:00:00.000Z')).toBe('13 de noviembre de 2018');
  });

  it('renders one A4 page for any holder: long titles wrap, an erased name prints as suppressed, odd letters do not stop it', async () => {
    for (const variant of [certificate, { ...certificate, holderName: null }, { ...certificate, holderName: 'Łucja 李 😀', status: 'revoked' as const, revokedAt: '2019-02-18T17:00:00.000Z' }]) {
      const pdf = await PDFDocument.load(await renderCertificateDocument(variant, 'https://registro.example.gob.mx/verify/7K3M-9QXD-2HBT-B'));
      expect(pdf.getPageCount()).toBe(1);
      expect(pdf.getTitle()).toBe('Certificado de competencia laboral 7K3M-9QXD-2HBT-B');
    }
  });

  it('gives the same bytes for the same certificate in the same status', async () => {
    const url = 'https://registro.example.gob.mx/verify/7K3M-9QXD-2HBT-B';
    expect(Buffer.from(await renderCertificateDocument(certificate, url)).equals(Buffer.from(await renderCertificateDocument(certificate, url)))).toBe(true);
  });
});
