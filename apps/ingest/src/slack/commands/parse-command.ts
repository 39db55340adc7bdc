import { SUBCOMMANDS, subcommandNamed, type CommandIntent, type Subcommand } from './command-grammar.js';

export type ParsedCommand = { intent: CommandIntent } | { problem: string; subcommand?: Subcommand };

/**
 * Slack escapes `&`, `<` and `>` in a slash command's text (`baseline <1` arrives as `baseline &lt;1`);
 * `&amp;` last, so `&amp;lt;` stays the literal text `&lt;`.
 */
export const unescapeSlackText = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The text after the slash command, e.g. `lesson went-well Alert fired within 2 minutes`. Pure. */
export function parseCommand(text: string, requestTime: Date): ParsedCommand {
  const trimmed = unescapeSlackText(text).trim();
  if (trimmed === '') return { intent: { kind: 'help' } };
  const [name = ''] = trimmed.split(/\s/, 1);
  const subcommand = subcommandNamed(name);
  if (!subcommand) return { problem: `"${name}" is not a subcommand; one of ${SUBCOMMANDS.map((s) => s.name).join(', ')}` };
  const parsed = subcommand.parse(trimmed.slice(name.length).trim(), requestTime);
  return typeof parsed === 'string' ? { problem: parsed, subcommand } : { intent: parsed };
}

/** One line per subcommand, as `help` and an unknown subcommand show it. */
export const grammarText = (command: string) => SUBCOMMANDS.map((subcommand) => `\`${command} ${subcommand.usage}\``).join('\n');

/** A malformed subcommand's own grammar and an example, so the fix is one edit away. */
export const usageText = (command: string, subcommand: Subcommand) => `Usage: \`${command} ${subcommand.usage}\`\nExample: \`${command} ${subcommand.example}\``;
