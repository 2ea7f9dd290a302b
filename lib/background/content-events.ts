/**
 * A content script's batch of captured events, checked event by event: one event an observer got wrong
 * must not cost the others in its flush. Each event passes the same schema as always (privacy rules
 * included); only the all-or-nothing is gone.
 */
import { z } from 'zod';
import { CONTENT_FLUSH_MAX_EVENTS } from '../constants';
import { EventBody } from '../schema/event';
import { ContentMessage } from '../schema/messages';

const LooseContentMessage = z.object({
  kind: z.literal('events'),
  events: z.array(z.unknown()).min(1).max(CONTENT_FLUSH_MAX_EVENTS * 2),
});

/** The valid events of a content message and how many were not; undefined when it is no such message. */
export function parseContentEvents(message: unknown): { events: EventBody[]; invalid: number } | undefined {
  const strict = ContentMessage.safeParse(message);
  if (strict.success) return { events: strict.data.events, invalid: 0 };
  const loose = LooseContentMessage.safeParse(message);
  if (!loose.success) return undefined;
  const events: EventBody[] = [];
  for (const raw of loose.data.events) {
    const parsed = EventBody.safeParse(raw);
    if (parsed.success) events.push(parsed.data);
  }
  return { events, invalid: loose.data.events.length - events.length };
}
