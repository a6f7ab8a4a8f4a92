import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../platform/auth/public.decorator';
import type { HttpResponse } from '../platform/http/http-types';
import { PUBLIC_CACHE_CONTROL } from '../platform/http/security-headers';
import { consoleFilesDir, loadConsoleFiles, loadVendorFile, type StaticFile } from './console-files';

const ASSETS = ['verify.js', 'verify.css', 'console.js', 'console-en.js', 'console.css', 'log-proof.js'];
const files = loadConsoleFiles(consoleFilesDir(), ['verify.html', 'console.html', ...ASSETS]);
/** Apache ECharts, served from its own distribution file (node_modules/echarts/dist). */
const echarts = loadVendorFile('echarts/dist/echarts.min.js');
/** The states of Mexico as SVG paths (@svg-maps/mexico, CC BY 4.0), an ES module the console imports. */
const mexico = loadVendorFile('@svg-maps/mexico/index.js');

/**
 * The ledger's pages: the comptrollers' console at `/console` and the public
 * verification page a certificate's QR code points to, `/verify/{folio}`.
 * Static files, the same for every caller and every URL: they read the API
 * from the browser like any client, with the caller's token for the console
 * (nothing of a request is ever written into a page). Pages, not API
 * routes: they are left out of the OpenAPI document, and need no token.
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

  @Get('console')
  console(@Res() response: HttpResponse): void {
    send(response, files.get('console.html')!);
  }

  @Get('console/vendor/echarts.min.js')
  charts(@Res() response: HttpResponse): void {
    send(response, echarts);
  }

  @Get('console/vendor/mexico.js')
  map(@Res() response: HttpResponse): void {
    send(response, mexico);
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
