import { Module } from '@nestjs/common';
import { PagesHttpController } from './pages.http.controller';

@Module({ controllers: [PagesHttpController] })
export class PagesModule {}
