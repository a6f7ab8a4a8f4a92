import { PDFDocument, rgb, StandardFonts, degrees, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import type { PublicCertificateView } from '@ledger/read-models';

/** A4 in PDF points. */
const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const INK = rgb(0.13, 0.13, 0.16);
const MUTED = rgb(0.38, 0.38, 0.42);
const ACCENT = rgb(0.42, 0.09, 0.2);
const ALERT = rgb(0.72, 0.05, 0.05);

const LONG_DATE = new Intl.DateTimeFormat('es-MX', { dateStyle: 'long', timeZone: 'America/Mexico_City' });

const STATUS_TEXT: Record<PublicCertificateView['status'], string> = {
  valid: 'Vigente',
  expired: 'Vencido',
  revoked: 'Revocado',
};

/** The day of an instant in Mexico City, in words: "13 de noviembre de 2018". */
export function longDateOf(instant: string): string {
  return LONG_DATE.format(new Date(instant));
}

/**
 * The printable certificate: A4, in Spanish, with the folio and a QR code of
 * the public verification page. It shows the status as of its printing, and
 * a revoked or expired certificate says so across the page, so that a copy
 * cannot pass for a valid one; the page behind the QR code always tells the
 * status of the day. The same certificate in the same status gives the same
 * bytes (the document's dates are the certificate's, not the clock's).
 */
export async function renderCertificateDocument(certificate: PublicCertificateView, verifyUrl: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const issued = new Date(certificate.issuedAt);
  pdf.setTitle(`Certificado de competencia laboral ${certificate.folio}`);
  pdf.setSubject(`${certificate.standardCode} ${certificate.standardTitle ?? ''}`.trim());
  pdf.setLanguage('es-MX');
  pdf.setProducer('certification-ledger');
  pdf.setCreator('certification-ledger');
  pdf.setCreationDate(issued);
  pdf.setModificationDate(certificate.revokedAt ? new Date(certificate.revokedAt) : issued);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const page = pdf.addPage(A4);
  const [width, height] = A4;
  const writer = new PageWriter(page, height - MARGIN);

  page.drawRectangle({ x: MARGIN / 2, y: MARGIN / 2, width: width - MARGIN, height: height - MARGIN, borderColor: ACCENT, borderWidth: 2 });
  writer.centered('CERTIFICADO DE COMPETENCIA LABORAL', bold, 20, ACCENT);
  writer.gap(6);
  writer.centered('Sistema Nacional de Competencias', regular, 11, MUTED);
  writer.gap(40);
  writer.centered('Se certifica que', regular, 13, INK);
  writer.gap(12);
  writer.centeredWrapped(certificate.holderName ?? 'Nombre suprimido a solicitud de su titular', bold, 22, INK, width - 2 * MARGIN);
  writer.gap(14);
  writer.centered('demostró su competencia laboral en el estándar', regular, 13, INK);
  writer.gap(12);
  writer.centeredWrapped(`${certificate.standardCode} ${certificate.standardTitle ?? ''}`.trim(), bold, 15, INK, width - 2 * MARGIN);
  writer.gap(24);
  writer.centered('Entidad de certificación y evaluación', regular, 11, MUTED);
  writer.gap(4);
  writer.centeredWrapped(certificate.providerName ?? certificate.providerId, regular, 13, INK, width - 2 * MARGIN);
  writer.gap(30);
  writer.labelled('Fecha de emisión', longDateOf(certificate.issuedAt), regular, bold);
  writer.labelled('Vigente hasta', longDateOf(certificate.validUntil), regular, bold);
  writer.labelled('Folio', certificate.folio, regular, bold);
  const status = certificate.status === 'revoked' && certificate.revokedAt ? `Revocado el ${longDateOf(certificate.revokedAt)}` : STATUS_TEXT[certificate.status];
  writer.labelled('Estado al imprimirse', status, regular, bold, certificate.status === 'valid' ? INK : ALERT);

  const qrSize = 150;
  drawQrCode(page, verifyUrl, width - MARGIN - qrSize, MARGIN + 40, qrSize);
  const note = [
    'Verifique este certificado en línea:',
    verifyUrl,
    'La página de verificación muestra su estado del día;',
    'este documento no la sustituye.',
  ];
  note.forEach((line, index) => {
    page.drawText(safeText(line, regular), { x: MARGIN, y: MARGIN + 150 - index * 16, size: index === 1 ? 9 : 10, font: regular, color: index === 1 ? ACCENT : MUTED });
  });

  if (certificate.status !== 'valid') {
    page.drawText(STATUS_TEXT[certificate.status].toUpperCase(), {
      x: width / 2 - 190, y: height / 2 - 120, size: 96, font: bold, color: ALERT, opacity: 0.18, rotate: degrees(35),
    });
  }
  return pdf.save({ useObjectStreams: false });
}

/** Writes lines down the page from the top. */
class PageWriter {
  constructor(
    private readonly page: PDFPage,
    private y: number,
  ) {}

  gap(points: number): void {
    this.y -= points;
  }

  centered(text: string, font: PDFFont, size: number, color = INK): void {
    const safe = safeText(text, font);
    this.y -= size;
    this.page.drawText(safe, { x: (this.page.getWidth() - font.widthOfTextAtSize(safe, size)) / 2, y: this.y, size, font, color });
  }

  centeredWrapped(text: string, font: PDFFont, size: number, color: ReturnType<typeof rgb>, maxWidth: number): void {
    for (const line of wrap(safeText(text, font), font, size, maxWidth)) {
      this.centered(line, font, size, color);
      this.gap(size * 0.3);
    }
  }

  labelled(label: string, value: string, regular: PDFFont, bold: PDFFont, color = INK): void {
    this.y -= 16;
    this.page.drawText(`${label}:`, { x: MARGIN + 40, y: this.y, size: 11, font: regular, color: MUTED });
    this.page.drawText(safeText(value, bold), { x: MARGIN + 190, y: this.y, size: 12, font: bold, color });
    this.y -= 6;
  }
}

function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Text the standard PDF fonts can draw (WinAnsi: Spanish needs nothing more):
 * another letter is written without its accents where that is enough (ł is
 * not, and becomes "?"), so that no name stops a certificate from printing.
 */
export function safeText(text: string, font: PDFFont): string {
  const drawable = drawableOf(font);
  let safe = '';
  for (const char of text) {
    if (drawable.has(char.codePointAt(0)!)) {
      safe += char;
      continue;
    }
    const base = char.normalize('NFD').replace(/\p{M}/gu, '');
    safe += [...base].every((part) => drawable.has(part.codePointAt(0)!)) && base !== '' ? base : '?';
  }
  return safe;
}

const drawables = new WeakMap<PDFFont, ReadonlySet<number>>();

/** The code points a font draws, read once per font. */
function drawableOf(font: PDFFont): ReadonlySet<number> {
  let drawable = drawables.get(font);
  if (!drawable) drawables.set(font, (drawable = new Set(font.getCharacterSet())));
  return drawable;
}

/** The QR code as squares on the page (vector: it prints sharp at any size). */
function drawQrCode(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const cells = modules.size + 2 * quiet;
  const cell = size / cells;
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (!modules.get(row, column)) continue;
      page.drawRectangle({ x: x + (column + quiet) * cell, y: y + size - (row + quiet + 1) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
    }
  }
}
