/** The fields of a slash command request Slack documents and Aftermath reads (all form fields are strings). */
export interface SlashCommand {
  team_id: string;
  team_domain?: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  trigger_id: string;
  response_url?: string;
}
