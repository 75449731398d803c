// @ts-check
// The options page's word on the local records (the user stays in charge): that they exist, what
// they hold (counts, never text), and the last 7 days in one line from GET /v1/records/week.
import { KIND } from '../protocol.js';
import { send } from '../messaging.js';
import { t } from '../i18n.js';

/** The one-line summary of a week, or null when the companion cannot say. @param {any} reply */
export function weekLine(reply) {
  if (!reply || !reply.ok) return null;
  const w = reply.week;
  return t('recordsWeek', w.findings.shown, w.findings.fixed, w.responses.answered);
}

/** Fill the summary line. @param {HTMLElement} target */
export async function showRecordsNote(target) {
  target.textContent = weekLine(await send({ kind: KIND.getWeek })) ?? t('recordsWeekNone');
}
