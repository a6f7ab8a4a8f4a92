import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../platform/auth/public.decorator';
import type { HttpResponse } from '../platform/http/http-types';
import { PUBLIC_CACHE_CONTROL } from '../platform/http/security-headers';
import { consoleFilesDir, loadConsoleFiles, type StaticFile } from './console-files';

const ASSETS = ['verify.js', 'verify.css'];
const files = loadConsoleFiles(consoleFilesDir(), ['verify.html', ...ASSETS]);

/**
 * The public verification page a certificate's QR code points to,
 * `/verify/{folio}`: one static page for every folio, which reads the public
 * API from the browser like any client (the folio is never written into the
 * page by the server), and its script and styles under `/console/`. Pages,
 * not API routes: they are left out of the OpenAPI document.
 */
@ApiExcludeController()
@Public()
@Controller()
export class PagesHttpController {
  @Get('verify')
  verifyForm(@Res() response: HttpResponse): void {
    send(response, files.get('verify.html')!);
  }

  @Get('verify/:folio')
  verify(@Res() response: HttpResponse): void {
    send(response, files.get('verify.html')!);
  }

  @Get('console/:asset')
  asset(@Param('asset') asset: string, @Res() response: HttpResponse): void {
    const file = ASSETS.includes(asset) ? files.get(asset) : undefined;
    if (!file) throw new NotFoundException();
    send(response, file);
  }
}

function send(response: HttpResponse, file: StaticFile): void {
  response.setHeader('Content-Type', file.contentType);
  response.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
  response.setHeader('Content-Length', String(file.body.byteLength));
  response.status(200);
  response.end(file.body);
}
