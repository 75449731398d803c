// @ts-check
// What kind of conversation the customer started, from their message: a review (stars, rating words
// or the site's review markup), a question (a question mark or question words), a complaint (it
// criticises), else a question. English and Bulgarian. The response-time clock takes its target by
// this kind, and an answer is recorded with it (the kind only: the message never leaves the page).

export const MESSAGE_KINDS = Object.freeze(['complaint', 'question', 'review']);

// \b does not see Cyrillic letters: words are bounded by "not a letter" instead
const word = (/** @type {string} */ alternatives) => new RegExp(`(?<!\\p{L})(?:${alternatives})(?!\\p{L})`, 'iu');

const STARS = /[★⭐✪]|(?<!\d)[1-5](?:[.,]\d)?\s*(?:\/\s*5|out of 5|от 5)(?!\d)|(?<!\d)[1-5]\s*(?:stars?|звезд[аи]?)/iu;
const REVIEW_WORDS = word('review|rating|rated|rate you|recommends?|recommended|would recommend'
  + '|ревю|отзив|оценка|оценявам|препоръчвам|препоръчва|препоръчвам ви');
const QUESTION_WORDS = word('what|how|when|where|why|who|which|whose|can you|could you|would you|will you'
  + '|do you|does|did you|is there|are there|is it|are you|any update|anyone know'
  + '|какво|как|кога|къде|защо|кой|коя|кое|кои|колко|чий|чия|дали|може ли|можете ли|има ли|ще може');
const CRITICISM = word('broken|broke|terrible|awful|horrible|worst|bad|poor|disappointed|disappointing|unacceptable'
  + '|refund|late|delayed|never arrived|not arrived|still waiting|not working|doesn\'t work|does not work|stopped working'
  + '|faulty|damaged|rude|scam|fraud|complaint|complain|angry|furious|ridiculous|waste|useless|ignored|charged twice'
  + '|счупен[аои]?|ужасн[оаи]?|ужасен|най-лош[иаоя]+|лош[оаи]?|разочарован[аи]?|недопустимо|върнете|закъсня[вл]?[а-я]*'
  + '|не работи|спря да работи|повреден[аои]?|развален[аои]?|груб[оаи]?|измама|оплакване|възмутен[аи]?|безобразие'
  + '|още чакам|не пристигна|никой не отговаря');

/**
 * @param {string|null|undefined} message  the customer's message, as the page shows it
 * @param {{reviewMarkup?: boolean}} [page]  reviewMarkup: the site marks the post as a review (read.js)
 * @returns {'complaint'|'question'|'review'}
 */
export function conversationKind(message, page = {}) {
  const text = String(message ?? '');
  if (page.reviewMarkup || STARS.test(text) || REVIEW_WORDS.test(text)) return 'review';
  if (text.includes('?') || text.includes('؟') || QUESTION_WORDS.test(text)) return 'question';
  return CRITICISM.test(text) ? 'complaint' : 'question';
}
