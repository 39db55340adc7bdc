import { readFileSync } from 'node:fs';
import { ADD_TO_TIMELINE } from './add-to-timeline/message-note.js';
import { ingestConfigSchema } from '../config.js';

// The manifest people install must name what the code answers to.
const manifest = readFileSync('deploy/slack-app-manifest.yml', 'utf8');

describe('deploy/slack-app-manifest.yml', () => {
  it('declares the default slash command, the shortcut and the two request URLs of INTERFACES.md', () => {
    expect(manifest).toContain(`- command: ${ingestConfigSchema.parse({}).SLACK_COMMAND}\n`);
    expect(manifest).toContain(`callback_id: ${ADD_TO_TIMELINE}\n`);
    expect(manifest).toMatch(/url: https:\/\/[^/\s]+\/v1\/slack\/commands\n/);
    expect(manifest).toMatch(/request_url: https:\/\/[^/\s]+\/v1\/slack\/interactivity\n/);
  });

  it('asks for the commands scope only', () => {
    const scopes = /bot:\n((?:\s+(?:#.*|- \S+)\n)+)/.exec(manifest)?.[1] ?? '';
    expect(scopes.split('\n').filter((line) => line.trim().startsWith('- ')).map((line) => line.trim())).toEqual(['- commands']);
  });
});
