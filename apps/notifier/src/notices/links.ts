/** Where people open an incident and its draft in the workspace (PUBLIC_WEB_URL). */
export interface IncidentLinks {
  workspace: string;
  draft: string;
  markdown: string;
}

export function incidentLinks(webUrl: string, incidentId: string): IncidentLinks {
  const workspace = `${webUrl}/incidents/${encodeURIComponent(incidentId)}`;
  return { workspace, draft: `${workspace}/rca`, markdown: `${workspace}/rca.md` };
}
