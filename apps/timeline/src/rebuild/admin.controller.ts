import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { authorizeBearer } from '@app/platform';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { DATA_SOURCE } from '../tokens.js';
import { rebuildProjections } from './rebuild-projections.js';

@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TIMELINE_CONFIG) private readonly config: TimelineConfig,
  ) {}

  @Post('rebuild')
  @HttpCode(200)
  async rebuild(@Req() request: Request) {
    authorizeBearer(request, this.config.ADMIN_TOKENS, 'ADMIN_TOKENS');
    return rebuildProjections(this.dataSource);
  }
}
