/** Batch encoding for the upload protocol: NDJSON (header line, then one event a line), gzipped. */
import type { BatchHeader } from '../schema/batch';
import type { CaptureEvent } from '../schema/event';

export function toNdjson(header: BatchHeader, events: readonly CaptureEvent[]): string {
  return [header, ...events].map((line) => JSON.stringify(line)).join('\n') + '\n';
}

export async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
