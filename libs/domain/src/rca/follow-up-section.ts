import type { IncidentState, Lesson } from '../projection/state.js';
import { escapeInline, escapeTableCell, escapeWikiLabel } from './markdown-escape.js';
import type { ActionItemRow, NumberedLine, RcaOptions } from './rca-view.js';
import { missingLine, NOT_RECORDED, recordedLine, slugify, titleCase, type ViewLine } from './text.js';

export function resolutionLines(state: IncidentState): NumberedLine[] {
  const steps = state.resolutionSteps.map((step, i) => ({ number: i + 1, ...recordedLine(escapeInline(step.description)) }));
  return steps.length > 0 ? steps : [{ number: 1, ...missingLine(NOT_RECORDED) }];
}

function lessonLines(lessons: readonly Lesson[], kind: Lesson['kind']): ViewLine[] {
  const lines = lessons.filter((lesson) => lesson.kind === kind).map((lesson) => recordedLine(escapeInline(lesson.text)));
  return lines.length > 0 ? lines : [missingLine(NOT_RECORDED)];
}

export function lessonSections(state: IncidentState) {
  return { wentWell: lessonLines(state.lessons, 'went_well'), toImprove: lessonLines(state.lessons, 'to_improve') };
}

export function actionItemRows(state: IncidentState): ActionItemRow[] {
  const rows = state.actionItems.map((item) => ({
    priority: item.priority,
    action: escapeTableCell(item.action),
    owner: escapeTableCell(item.owner),
    dueDate: item.dueDate,
    recorded: true,
  }));
  const missing = { priority: NOT_RECORDED, action: NOT_RECORDED, owner: NOT_RECORDED, dueDate: NOT_RECORDED, recorded: false };
  return rows.length > 0 ? rows : [missing];
}

/**
 * Wiki links to the previous incident of the same category (a placeholder dated like this
 * incident when the caller knows none), the service runbook and the category architecture
 * page (the service's, when no category is recorded).
 */
export function relatedLinks(state: IncidentState, date: string, options: RcaOptions): ViewLine[] {
  const category = state.rootCause?.category ?? null;
  const service = state.primaryService ?? 'service';
  const previousLabel = category ? `Previous ${escapeWikiLabel(category)} incident` : 'Previous incident';
  const previous = options.related?.previous;
  const previousTarget = previous ? `${previous.date}-${slugify(previous.slug)}` : `${date}-previous-incident`;
  const architecture = category
    ? `[[architecture-${slugify(category)}|${escapeWikiLabel(titleCase(category))} Architecture]]`
    : `[[architecture-${service}|${service} Architecture]]`;
  return [
    recordedLine(`[[${previousTarget}|${previousLabel}]]`),
    recordedLine(`[[runbook-${service}|${service} Runbook]]`),
    recordedLine(architecture),
  ];
}
