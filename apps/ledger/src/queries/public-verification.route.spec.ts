import { Folio } from '@ledger/domain';
import { plainPublicFolio } from './public-verification.route';

describe('plainPublicFolio: what the public verification fast lane answers itself', () => {
  const folio = Folio.fromBytes(Buffer.from('0123456789abcdef', 'hex')).value;
  const compact = folio.replace(/-/g, '');

  it('reads a folio as Folio does, in any spelling that needs no decoding', () => {
    for (const spelled of [folio, compact, compact.toLowerCase(), `${compact.slice(0, 4)}-${compact.slice(4)}`]) {
      expect([spelled, plainPublicFolio(`/v1/public/certificates/${spelled}`)]).toEqual([spelled, folio]);
    }
  });

  it('leaves everything else to Nest: other paths, queries, encodings, sub-routes, typos, junk', () => {
    const typo = `${compact.slice(0, -1)}${compact.endsWith('0') ? '1' : '0'}`;
    for (const url of [
      `/v1/public/certificates/${folio}/`,
      `/v1/public/certificates/${folio}?minPosition=3`,
      `/v1/public/certificates/${folio}?`,
      `/v1/public/certificates/${folio}/document`,
      `/v1/public/certificates/${folio}/proof`,
      `/v1/public/certificates/%41${compact.slice(1)}`,
      `/v1/public/certificates/${compact}%00`,
      `/v1/public/certificates/${compact} `,
      `/v1/public/certificates/${typo}`,
      `/v1/public/certificates/`,
      `/v1/public/certificates/${'A'.repeat(65)}`,
      `/v1/public/certificates/${'-'.repeat(20)}`,
      `/v1/public/certificates/../certificates/${folio}`,
      `/v1/public/certificatesX/${folio}`,
      `/V1/public/certificates/${folio}`,
      `//v1/public/certificates/${folio}`,
    ]) {
      expect([url, plainPublicFolio(url)]).toEqual([url, undefined]);
    }
  });
});
