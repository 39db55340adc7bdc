import { isProblem } from '@app/domain';
import { refuseCrossSite } from './admin.controller.js';

/** The problem type refuseCrossSite throws for these headers, or 'served'. */
function outcome(headers: Record<string, string>): string {
  try {
    refuseCrossSite({ headers });
    return 'served';
  } catch (error) {
    return isProblem(error) ? error.type : String(error);
  }
}

describe('who may ask for a rebuild (POST /v1/admin/rebuild)', () => {
  it('serves a bare POST, as curl -X POST sends it (no content type, no Origin), and a JSON one', () => {
    expect(outcome({})).toBe('served');
    expect(outcome({ 'content-type': 'application/json' })).toBe('served');
    expect(outcome({ 'content-type': 'application/json; charset=utf-8', origin: 'http://127.0.0.1:3002' })).toBe('served');
  });

  it('refuses what a page of another site can send without a preflight', () => {
    expect(outcome({ 'content-type': 'text/plain' })).toBe('unsupported-media-type');
    expect(outcome({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' })).toBe('unsupported-media-type');
    expect(outcome({ 'content-type': 'multipart/form-data; boundary=x' })).toBe('unsupported-media-type');
    // A bodiless fetch() from a page carries Origin and no content type.
    expect(outcome({ origin: 'https://evil.example' })).toBe('unsupported-media-type');
    expect(outcome({ 'sec-fetch-site': 'cross-site' })).toBe('forbidden');
    expect(outcome({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).toBe('forbidden');
  });
});
