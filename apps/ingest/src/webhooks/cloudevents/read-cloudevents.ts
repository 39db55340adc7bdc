import type { ValidationIssue } from '@app/domain';

export type HeaderMap = Record<string, string | string[] | undefined>;

/** An HTTP request as the CloudEvents HTTP binding sees it: headers, and the body already parsed as JSON. */
export interface CloudEventsMessage {
  headers: HeaderMap;
  body: unknown;
}

/** One CloudEvent's attributes (data included), and its path in the request for error messages. */
export interface ReceivedCloudEvent {
  attributes: Record<string, unknown>;
  at: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const headerValue = (headers: HeaderMap, name: string): string | undefined => {
  const value = headers[name] ?? headers[Object.keys(headers).find((key) => key.toLowerCase() === name) ?? ''];
  return Array.isArray(value) ? value.join(',') : value;
};

/** Binary-mode header values are percent-encoded (HTTP binding 3.1.3.2); a stray '%' is kept as sent. */
const percentDecoded = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/**
 * Finds the CloudEvents in a request, by content mode: batched (`application/cloudevents-batch+json`,
 * a JSON array), structured (`application/cloudevents+json`, one JSON object) or binary (`ce-*`
 * headers carry the attributes, the body is `data`).
 */
export function readCloudEvents(message: CloudEventsMessage): { cloudEvents: ReceivedCloudEvent[] } | { errors: ValidationIssue[] } {
  const { headers, body } = message;
  const contentType = (headerValue(headers, 'content-type') ?? '').toLowerCase();
  if (contentType.startsWith('application/cloudevents-batch+json')) {
    if (!Array.isArray(body)) return { errors: [{ path: '', message: 'a CloudEvents batch is a JSON array' }] };
    return structuredEvents(body, (index) => `[${index}]`);
  }
  if (contentType.startsWith('application/cloudevents+json')) return structuredEvents([body], () => '');
  if (headerValue(headers, 'ce-specversion') !== undefined) return { cloudEvents: [{ attributes: binaryAttributes(headers, body), at: '' }] };
  // Some producers post a structured event as plain application/json; its specversion gives it away.
  if (isObject(body) && 'specversion' in body) return structuredEvents([body], () => '');
  return {
    errors: [{ path: '', message: 'not a CloudEvent: expected application/cloudevents+json, application/cloudevents-batch+json, or ce-* headers' }],
  };
}

function structuredEvents(items: unknown[], pathOf: (index: number) => string): { cloudEvents: ReceivedCloudEvent[] } | { errors: ValidationIssue[] } {
  const errors = items.flatMap((item, index) => (isObject(item) ? [] : [{ path: pathOf(index), message: 'a CloudEvent is a JSON object' }]));
  if (errors.length > 0) return { errors };
  return { cloudEvents: items.map((item, index) => ({ attributes: item as Record<string, unknown>, at: pathOf(index) })) };
}

function binaryAttributes(headers: HeaderMap, body: unknown): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const name of Object.keys(headers)) {
    const value = headerValue(headers, name);
    if (name.toLowerCase().startsWith('ce-') && value !== undefined) attributes[name.slice(3).toLowerCase()] = percentDecoded(value);
  }
  const contentType = headerValue(headers, 'content-type');
  if (contentType) attributes.datacontenttype = contentType;
  if (body !== undefined) attributes.data = body;
  return attributes;
}
