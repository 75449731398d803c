// @ts-check
// Events for the local records, gathered from every tab and the side panel and sent to the
// companion (POST /v1/records) in one request after a short pause. Nothing is kept here: when the
// companion is away the events are dropped (the records are counts, never needed for a check).
import { MAX_RECORD_EVENTS, wellFormedEvents } from '../records-vocabulary.js';

/** @typedef {import('../records-vocabulary.js').RecordEvent} RecordEvent */

/**
 * @param {{send: (body: {events: RecordEvent[]}) => Promise<unknown>, delayMs?: number,
 *   setTimer?: (fn: () => void, ms: number) => unknown}} deps
 */
export function createRecorder({ send, delayMs = 400, setTimer = (fn, ms) => setTimeout(fn, ms) }) {
  /** @type {RecordEvent[]} */
  let queued = [];
  let timer = /** @type {unknown} */ (null);

  async function flush() {
    timer = null;
    const batch = queued;
    queued = [];
    for (let i = 0; i < batch.length; i += MAX_RECORD_EVENTS) {
      try {
        await send({ events: batch.slice(i, i + MAX_RECORD_EVENTS) });
      } catch {
        // away or refused: counts are not worth a retry queue that could grow without bound
      }
    }
  }

  return {
    /** @param {unknown} events  @returns {number} how many were queued */
    add(events) {
      const ok = wellFormedEvents(events);
      if (!ok.length) return 0;
      queued.push(...ok);
      timer ??= setTimer(() => { flush(); }, delayMs);
      return ok.length;
    },
    flush,
  };
}
