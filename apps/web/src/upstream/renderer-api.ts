import { Inject, Injectable } from '@nestjs/common';
import { WEB_CONFIG, type WebConfig } from '../config.js';
import { callUpstream, UpstreamError } from './upstream.js';

export interface DraftVersion {
  version: number;
  preparedOn: string;
  fileName: string;
  createdAt: string;
}

/** The renderer's RCA drafts (GET /v1/incidents/:id/rca...). */
@Injectable()
export class RendererApi {
  constructor(@Inject(WEB_CONFIG) private readonly config: WebConfig) {}

  private call(path: string, accept = 'application/json'): Promise<Response> {
    return callUpstream('renderer', `${this.config.RENDERER_URL}${path}`, this.config.WEB_READ_TOKEN, { accept });
  }

  async rcaMarkdown(ref: string): Promise<string> {
    return (await this.call(`/v1/incidents/${encodeURIComponent(ref)}/rca.md`, 'text/markdown')).text();
  }

  async versions(ref: string): Promise<DraftVersion[]> {
    return ((await (await this.call(`/v1/incidents/${encodeURIComponent(ref)}/rca/versions`)).json()) as { versions: DraftVersion[] }).versions;
  }

  async version(ref: string, version: number): Promise<string> {
    return (await this.call(`/v1/incidents/${encodeURIComponent(ref)}/rca/versions/${version}.md`, 'text/markdown')).text();
  }

  /**
   * Readiness of the workspace: a read past the renderer's token check. The renderer has no list to
   * read, so this asks for an incident that cannot exist: its 404 answers from behind the guard.
   */
  async ready(): Promise<void> {
    try {
      await this.call('/v1/incidents/readiness-probe/summary');
    } catch (error) {
      if (!(error instanceof UpstreamError && error.status === 404)) throw error;
    }
  }
}
